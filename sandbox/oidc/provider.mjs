// A real OpenID Provider for the sandbox's OIDC mode, as production Flui installations
// use Zitadel: `oidc-provider` (a certified implementation) with one public client for the
// dashboard (authorization code with PKCE S256, refresh tokens), the sandbox's demo users,
// and access tokens issued as RS256 JWTs for the Flui API's audience, which the sandbox
// verifies against this provider's JWKS.
//
//   node provider.mjs --port 8789 --dashboard http://127.0.0.1:8787 [--dashboard …]
//                     [--audience urn:flui:api] [--access-ttl 900] [--refresh-ttl 86400]
//
// The sign-in and consent pages are oidc-provider's development pages: any password is
// accepted for a demo user's email; consent is given once per user. Prints
// `oidc-provider ready <issuer>` once it listens, then `grant <grant_type>` for every
// token issued and `end_session` for every sign-out.

import Provider from 'oidc-provider';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const every = (name) => args.flatMap((a, i) => (a === `--${name}` && i + 1 < args.length ? [args[i + 1]] : []));

const port = Number(option('port', '8789'));
const issuer = `http://127.0.0.1:${port}`;
const audience = option('audience', 'urn:flui:api');
const dashboards = every('dashboard');
if (dashboards.length === 0) dashboards.push('http://127.0.0.1:8787');

// The sandbox's demo users (sandbox/src/demo.rs), by email.
const USERS = {
  'admin@flui.test': { name: 'Ada Admin' },
  'user@flui.test': { name: 'Uma User' },
};
const SCOPE = 'openid profile email offline_access';

const provider = new Provider(issuer, {
  clients: [{
    client_id: 'flui-dashboard',
    token_endpoint_auth_method: 'none',
    application_type: 'web',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: dashboards.map((d) => `${d}/auth/callback`),
    post_logout_redirect_uris: dashboards.map((d) => `${d}/login?loggedOut=true`),
  }],
  // The dashboard's origins may call the token endpoint from the browser.
  clientBasedCORS: (_ctx, origin) => dashboards.includes(origin),
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
  },
  scopes: ['openid', 'profile', 'email', 'offline_access'],
  async findAccount(_ctx, id) {
    const user = USERS[id];
    if (!user) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: id, email_verified: true, name: user.name };
      },
    };
  },
  features: {
    devInteractions: { enabled: true },
    // Sign-out asks first, as oidc-provider does, on a page with no outside resources.
    rpInitiatedLogout: {
      enabled: true,
      async logoutSource(ctx, form) {
        ctx.body = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Sign out</title></head><body><main>
<h1>Sign out of ${ctx.host}?</h1>${form}
<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
<button type="submit" form="op.logoutForm">No, stay signed in</button>
</main></body></html>`;
      },
    },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => audience,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: 'openid profile email',
        audience,
        accessTokenFormat: 'jwt',
        accessTokenTTL: Number(option('access-ttl', '900')),
        jwt: { sign: { alg: 'RS256' } },
      }),
    },
  },
  // A refresh token for the dashboard whether or not it asked for offline_access.
  issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
  // The dashboard is first-party: consent is given on the user's behalf.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope(SCOPE);
    grant.addOIDCClaims(['sub', 'email', 'email_verified', 'name']);
    grant.addResourceScope(audience, 'openid profile email');
    await grant.save();
    return grant;
  },
  ttl: {
    IdToken: 3600,
    RefreshToken: Number(option('refresh-ttl', '86400')),
    Session: 86400,
    Grant: 86400,
    Interaction: 3600,
  },
  pkce: { required: () => true },
  cookies: { keys: ['flui-sandbox-oidc-cookie-key'] },
});
// Loopback over plain http in development.
provider.proxy = false;

// What the tests count: each token grant and each ended session, one line each.
provider.on('grant.success', (ctx) => console.log(`grant ${ctx.oidc.params.grant_type}`));
provider.on('end_session.success', () => console.log('end_session'));

provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider ready ${issuer}`);
});
