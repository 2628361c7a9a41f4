//! A page's reads ([`Resource`]) and writes ([`Task`]). Every read shares one resource
//! type underneath and every write one action type, whatever they carry: a
//! `LocalResource` or an `Action` then costs its code once for the whole dashboard
//! instead of once per type (see the README's size budget).

use std::any::Any;
use std::future::Future;
use std::marker::PhantomData;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use futures::future::LocalBoxFuture;
use leptos::prelude::*;

use super::error::ApiError;

/// A read whose answer is a `T`, loaded on the client.
pub struct Resource<T> {
    data: LocalResource<Erased>,
    loading: RwSignal<bool>,
    value: PhantomData<fn() -> T>,
}

/// A read of the API.
pub type ApiResource<T> = Resource<Result<T, ApiError>>;

type Erased = Rc<dyn Any>;
type Load = Rc<dyn Fn() -> LocalBoxFuture<'static, Erased>>;

impl<T> Clone for Resource<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Resource<T> {}

impl<T: 'static> Resource<T> {
    /// Starts loading with `load`, and loads again on [`Resource::refetch`].
    pub fn new<Fut>(load: impl Fn() -> Fut + 'static) -> Self
    where
        Fut: Future<Output = T> + 'static,
    {
        let (data, loading) = erased_resource(Rc::new(move || {
            let load = load();
            Box::pin(async move { Rc::new(load.await) as Erased })
        }));
        Self {
            data,
            loading,
            value: PhantomData,
        }
    }

    /// Loads again (Retry, or after a change).
    pub fn refetch(&self) {
        self.data.refetch();
    }

    /// Whether a load is under way (the first one, or a refetch).
    pub fn loading(&self) -> bool {
        self.loading.get()
    }
}

impl<T: Clone + 'static> Resource<T> {
    /// The last answer, tracked: `None` until the first one arrives.
    pub fn get(&self) -> Option<T> {
        self.data
            .get()
            .and_then(|value| value.downcast_ref::<T>().cloned())
    }
}

/// The resource under every [`Resource`], and whether it is loading: not generic, so its
/// code is there once.
fn erased_resource(load: Load) -> (LocalResource<Erased>, RwSignal<bool>) {
    let loading = RwSignal::new(true);
    let data = LocalResource::new(move || {
        let load = start_now(load());
        async move {
            loading.try_set(true);
            let value = load.await;
            loading.try_set(false);
            value
        }
    });
    (data, loading)
}

/// `future`, polled once at once, so that the request it makes leaves now. Leptos first
/// polls a resource's future a tick after making it, once the page being built is done:
/// every read would wait for the whole page to render before leaving, and the session
/// check for the page. (Polled where it is made: a resource tracks what its future reads
/// as it would have.)
pub fn start_now<T: 'static>(mut future: LocalBoxFuture<'static, T>) -> LocalBoxFuture<'static, T> {
    let mut cx = Context::from_waker(Waker::noop());
    // The waker is never needed: whoever awaits the future next polls it again, with
    // their own.
    match future.as_mut().poll(&mut cx) {
        Poll::Ready(value) => Box::pin(std::future::ready(value)),
        Poll::Pending => future,
    }
}

/// A page's write (or any one-off job): dispatched with an input `I`, it runs once and
/// keeps its last output `O`. Every task shares one action type underneath, as every
/// [`Resource`] shares one resource type.
pub struct Task<I, O> {
    action: Action<Erased, Erased>,
    types: PhantomData<fn(I) -> O>,
}

impl<I, O> Clone for Task<I, O> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<I, O> Copy for Task<I, O> {}

type Run = Rc<dyn Fn(&Erased) -> LocalBoxFuture<'static, Erased>>;

impl<I: 'static, O: 'static> Task<I, O> {
    pub fn new<Fut>(run: impl Fn(&I) -> Fut + 'static) -> Self
    where
        Fut: Future<Output = O> + 'static,
    {
        Self::erased(Rc::new(move |input: &Erased| match input.downcast_ref::<I>() {
            Some(input) => {
                let run = run(input);
                Box::pin(async move { Rc::new(run.await) as Erased })
            }
            // Only `dispatch` below puts inputs in, always of type `I`.
            None => Box::pin(async { Rc::new(()) as Erased }),
        }))
    }

    fn erased(run: Run) -> Self {
        Self {
            action: Action::new_local(move |input: &Erased| run(input)),
            types: PhantomData,
        }
    }

    pub fn dispatch(&self, input: I) {
        self.action.dispatch_local(Rc::new(input));
    }

    /// Whether a run is under way.
    pub fn pending(&self) -> bool {
        self.action.pending().get()
    }
}

impl<I: 'static, O: Clone + 'static> Task<I, O> {
    /// The last run's output, tracked: `None` before the first one ends.
    pub fn value(&self) -> Option<O> {
        self.action
            .value()
            .get()
            .and_then(|value| value.downcast_ref::<O>().cloned())
    }
}
