//! Paginators: a stream of pages, and a stream of the items on them.
//!
//! Generated crates describe how an action pages with a [`Cursor`] (which input
//! member selects the page, which sets its size, how many items a page holds)
//! and hand [`PageStream::new`] a function that calls the action. Everything
//! else is here, compiled once:
//!
//! - the first request is the caller's, as built;
//! - the next request advances the cursor: the next page number
//!   ([`PageStyle::PageNumber`], from the caller's number or the action's first
//!   page) or the offset plus the items received ([`PageStyle::Offset`]);
//! - the stream ends after a page with no items, or with fewer items than the
//!   page size (the caller's, or else the size of the first page, which is the
//!   service's default), or once the items received reach the total, or after
//!   an error, which it yields first.
//!
//! Tencent documents the total as "the number of records returned", which
//! some actions mean per page and others overall. A total is therefore only
//! trusted as the overall count once a page reports more than it holds; a
//! total equal to the page's items says nothing, and a short or empty page
//! ends the stream either way (at the cost of one extra call when the last
//! page is exactly full and the total was never larger than a page).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures_core::Stream;

/// A boxed, sendable future.
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;

/// Calls the action with one input.
pub type Fetch<I, O, E> = Arc<dyn Fn(I) -> BoxFuture<Result<O, E>> + Send + Sync>;

/// How the cursor member counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageStyle {
    /// Page numbers: the next page is the current number plus one.
    PageNumber,
    /// Item offsets: the next page starts after the items received.
    Offset,
}

/// How one action pages, as plain functions over its input and output.
pub struct Cursor<I, O> {
    /// How the cursor counts.
    pub style: PageStyle,
    /// The number of the first page when the input sets none (`PageNumber` style).
    pub first_page: u64,
    /// The cursor's value in an input, if set.
    pub get: fn(&I) -> Option<u64>,
    /// Sets the cursor of an input.
    pub set: fn(&mut I, u64),
    /// The page size an input asks for, if set.
    pub size: fn(&I) -> Option<u64>,
    /// How many items an output holds.
    pub count: fn(&O) -> usize,
    /// The total an output reports, if any.
    pub total: fn(&O) -> Option<u64>,
}

impl<I, O> Clone for Cursor<I, O> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<I, O> Copy for Cursor<I, O> {}

impl<I, O> fmt::Debug for Cursor<I, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cursor")
            .field("style", &self.style)
            .field("first_page", &self.first_page)
            .finish_non_exhaustive()
    }
}

impl<I, O> Cursor<I, O> {
    /// The input of the page after `output`, answered to `input`, or `None`
    /// when `output` was the last page. `page_size` is the size asked for, or
    /// learned from the first page; `total` the overall count once known;
    /// `seen` the items received so far, this page's included.
    pub fn next_input(
        &self,
        input: &I,
        output: &O,
        page_size: Option<u64>,
        total: Option<u64>,
        seen: u64,
    ) -> Option<I>
    where
        I: Clone,
    {
        let n = (self.count)(output) as u64;
        if n == 0 || page_size.is_some_and(|size| n < size) || total.is_some_and(|t| seen >= t) {
            return None;
        }
        let next = match self.style {
            PageStyle::PageNumber => (self.get)(input)
                .unwrap_or(self.first_page)
                .checked_add(1)?,
            PageStyle::Offset => (self.get)(input).unwrap_or(0).checked_add(n)?,
        };
        let mut input = input.clone();
        (self.set)(&mut input, next);
        Some(input)
    }
}

enum State<I, O, E> {
    /// The next request to send.
    Ready(I),
    /// A request in flight, and the input it was sent with.
    InFlight(I, BoxFuture<Result<O, E>>),
    /// An error to yield before anything was sent (the input did not build).
    Failed(E),
    /// Done.
    Done,
}

/// A stream of pages: each item is one response, or the error that ended the
/// stream. Use [`next`](PageStream::next), [`try_collect`](PageStream::try_collect),
/// [`items`](PageStream::items), or any `futures` combinator (it is a
/// [`Stream`]).
pub struct PageStream<I, O, E> {
    fetch: Option<Fetch<I, O, E>>,
    cursor: Cursor<I, O>,
    state: State<I, O, E>,
    page_size: Option<u64>,
    total: Option<u64>,
    seen: u64,
    pages: usize,
}

impl<I, O, E> fmt::Debug for PageStream<I, O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PageStream")
            .field("cursor", &self.cursor)
            .field("pages", &self.pages)
            .field("page_size", &self.page_size)
            .finish_non_exhaustive()
    }
}

impl<I, O, E> PageStream<I, O, E>
where
    I: Clone + Send + 'static,
    O: Send + 'static,
    E: Send + 'static,
{
    /// Pages from `first`, calling `fetch` for each page.
    pub fn new(fetch: Fetch<I, O, E>, cursor: Cursor<I, O>, first: I) -> Self {
        PageStream {
            page_size: (cursor.size)(&first),
            fetch: Some(fetch),
            cursor,
            state: State::Ready(first),
            total: None,
            seen: 0,
            pages: 0,
        }
    }

    /// A stream that yields `error` and ends (the first input could not be built).
    pub fn failed(cursor: Cursor<I, O>, error: E) -> Self {
        PageStream {
            fetch: None,
            cursor,
            state: State::Failed(error),
            page_size: None,
            total: None,
            seen: 0,
            pages: 0,
        }
    }

    /// The next page, or `None` after the last one.
    pub async fn next(&mut self) -> Option<Result<O, E>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Every page, or the first error.
    pub async fn try_collect(mut self) -> Result<Vec<O>, E> {
        let mut out = Vec::new();
        while let Some(page) = self.next().await {
            out.push(page?);
        }
        Ok(out)
    }

    /// The items of every page, in order, through `items` (the output's list).
    pub fn items<T>(self, items: fn(O) -> Vec<T>) -> ItemStream<I, O, T, E> {
        ItemStream {
            pages: self,
            items,
            buffered: Vec::new().into_iter(),
        }
    }

    /// How many pages were received so far.
    pub fn pages(&self) -> usize {
        self.pages
    }
}

impl<I, O, E> Stream for PageStream<I, O, E>
where
    I: Clone + Send + 'static,
    O: Send + 'static,
    E: Send + 'static,
{
    type Item = Result<O, E>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        // Every field is Unpin (futures are boxed).
        let this = self.get_mut();
        loop {
            match std::mem::replace(&mut this.state, State::Done) {
                State::Done => return Poll::Ready(None),
                State::Failed(e) => return Poll::Ready(Some(Err(e))),
                State::Ready(input) => {
                    let Some(fetch) = &this.fetch else {
                        return Poll::Ready(None);
                    };
                    let future = fetch(input.clone());
                    this.state = State::InFlight(input, future);
                }
                State::InFlight(input, mut future) => match future.as_mut().poll(cx) {
                    Poll::Pending => {
                        this.state = State::InFlight(input, future);
                        return Poll::Pending;
                    }
                    Poll::Ready(Err(e)) => return Poll::Ready(Some(Err(e))),
                    Poll::Ready(Ok(output)) => {
                        this.pages += 1;
                        let n = (this.cursor.count)(&output) as u64;
                        this.seen = this.seen.saturating_add(n);
                        if this.page_size.is_none() {
                            // The service's default size: what the first page held.
                            this.page_size = Some(n);
                        }
                        if let Some(t) = (this.cursor.total)(&output).filter(|t| *t > n) {
                            this.total = Some(t);
                        }
                        if let Some(next) = this.cursor.next_input(
                            &input,
                            &output,
                            this.page_size,
                            this.total,
                            this.seen,
                        ) {
                            this.state = State::Ready(next);
                        }
                        return Poll::Ready(Some(Ok(output)));
                    }
                },
            }
        }
    }
}

/// The items of every page of a [`PageStream`], one at a time.
pub struct ItemStream<I, O, T, E> {
    pages: PageStream<I, O, E>,
    items: fn(O) -> Vec<T>,
    buffered: std::vec::IntoIter<T>,
}

impl<I, O, T, E> fmt::Debug for ItemStream<I, O, T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ItemStream")
            .field("pages", &self.pages)
            .field("buffered", &self.buffered.len())
            .finish()
    }
}

impl<I, O, T, E> ItemStream<I, O, T, E>
where
    I: Clone + Send + 'static,
    O: Send + 'static,
    E: Send + 'static,
{
    /// The next item, or `None` after the last one.
    pub async fn next(&mut self) -> Option<Result<T, E>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Every item, or the first error.
    pub async fn try_collect(mut self) -> Result<Vec<T>, E> {
        let mut out = Vec::new();
        while let Some(item) = self.next().await {
            out.push(item?);
        }
        Ok(out)
    }
}

impl<I, O, T, E> Stream for ItemStream<I, O, T, E>
where
    I: Clone + Send + 'static,
    O: Send + 'static,
    E: Send + 'static,
{
    type Item = Result<T, E>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffered.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(page))) => this.buffered = (this.items)(page).into_iter(),
            }
        }
    }
}

impl<I, O, T, E> Unpin for ItemStream<I, O, T, E> {}
impl<I, O, E> Unpin for PageStream<I, O, E> {}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[derive(Clone, Debug, PartialEq)]
    struct Req {
        page: Option<u64>,
        size: Option<u64>,
    }

    #[derive(Debug)]
    struct Resp {
        items: Vec<u32>,
        total: Option<u64>,
    }

    fn cursor(style: PageStyle, first_page: u64) -> Cursor<Req, Resp> {
        Cursor {
            style,
            first_page,
            get: |r| r.page,
            set: |r, v| r.page = Some(v),
            size: |r| r.size,
            count: |o| o.items.len(),
            total: |o| o.total,
        }
    }

    /// The requests a test service saw.
    type Log = Arc<Mutex<Vec<Req>>>;

    /// How a test service reports its total.
    #[derive(Clone, Copy)]
    enum Total {
        None,
        Overall,
        PerPage,
    }

    /// A service holding `total` items, `default` per page unless asked;
    /// records the requests it saw.
    fn service(
        style: PageStyle,
        first_page: u64,
        total: u32,
        default: u64,
        fail_at: Option<usize>,
    ) -> (Fetch<Req, Resp, String>, Log) {
        service_reporting(style, first_page, total, default, fail_at, Total::None)
    }

    fn service_reporting(
        style: PageStyle,
        first_page: u64,
        total: u32,
        default: u64,
        fail_at: Option<usize>,
        reports: Total,
    ) -> (Fetch<Req, Resp, String>, Log) {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        let fetch: Fetch<Req, Resp, String> = Arc::new(move |r: Req| {
            let log = log.clone();
            Box::pin(async move {
                let mut calls = log.lock().unwrap();
                calls.push(r.clone());
                if fail_at == Some(calls.len()) {
                    return Err(format!("failed at call {}", calls.len()));
                }
                let size = r.size.unwrap_or(default);
                let start = match style {
                    PageStyle::PageNumber => (r.page.unwrap_or(first_page) - first_page) * size,
                    PageStyle::Offset => r.page.unwrap_or(0),
                };
                let items: Vec<u32> = (start..(start + size).min(u64::from(total)))
                    .map(|i| i as u32)
                    .collect();
                let total = match reports {
                    Total::None => None,
                    Total::Overall => Some(u64::from(total)),
                    Total::PerPage => Some(items.len() as u64),
                };
                Ok(Resp { items, total })
            })
        });
        (fetch, seen)
    }

    #[tokio::test]
    async fn page_numbers_from_zero_until_a_short_page() {
        let (fetch, seen) = service(PageStyle::PageNumber, 0, 25, 10, None);
        let pages = PageStream::new(
            fetch,
            cursor(PageStyle::PageNumber, 0),
            Req {
                page: None,
                size: None,
            },
        );
        let items = pages.items(|r| r.items).try_collect().await.unwrap();
        assert_eq!(items, (0..25).collect::<Vec<_>>());
        let pages: Vec<Option<u64>> = seen.lock().unwrap().iter().map(|r| r.page).collect();
        assert_eq!(pages, vec![None, Some(1), Some(2)]);
    }

    #[tokio::test]
    async fn exactly_full_last_page_costs_one_empty_call() {
        let (fetch, seen) = service(PageStyle::PageNumber, 1, 20, 10, None);
        let stream = PageStream::new(
            fetch,
            cursor(PageStyle::PageNumber, 1),
            Req {
                page: Some(1),
                size: Some(10),
            },
        );
        let pages = stream.try_collect().await.unwrap();
        assert_eq!(
            pages.iter().map(|p| p.items.len()).collect::<Vec<_>>(),
            [10, 10, 0]
        );
        assert_eq!(seen.lock().unwrap().len(), 3);
    }

    #[tokio::test]
    async fn an_overall_total_saves_the_empty_call() {
        let (fetch, seen) =
            service_reporting(PageStyle::PageNumber, 1, 20, 10, None, Total::Overall);
        let pages = PageStream::new(
            fetch,
            cursor(PageStyle::PageNumber, 1),
            Req {
                page: None,
                size: Some(10),
            },
        )
        .try_collect()
        .await
        .unwrap();
        assert_eq!(pages.len(), 2);
        assert_eq!(seen.lock().unwrap().len(), 2);
    }

    #[tokio::test]
    async fn a_per_page_total_does_not_stop_early() {
        let (fetch, seen) =
            service_reporting(PageStyle::PageNumber, 0, 25, 10, None, Total::PerPage);
        let items = PageStream::new(
            fetch,
            cursor(PageStyle::PageNumber, 0),
            Req {
                page: None,
                size: None,
            },
        )
        .items(|r| r.items)
        .try_collect()
        .await
        .unwrap();
        assert_eq!(items.len(), 25);
        assert_eq!(seen.lock().unwrap().len(), 3);
    }

    #[tokio::test]
    async fn offsets_advance_by_the_items_received() {
        let (fetch, seen) = service(PageStyle::Offset, 0, 7, 3, None);
        let items = PageStream::new(
            fetch,
            cursor(PageStyle::Offset, 0),
            Req {
                page: Some(0),
                size: Some(3),
            },
        )
        .items(|r| r.items)
        .try_collect()
        .await
        .unwrap();
        assert_eq!(items, (0..7).collect::<Vec<_>>());
        let offsets: Vec<Option<u64>> = seen.lock().unwrap().iter().map(|r| r.page).collect();
        assert_eq!(offsets, vec![Some(0), Some(3), Some(6)]);
    }

    #[tokio::test]
    async fn an_error_is_yielded_and_ends_the_stream() {
        let (fetch, seen) = service(PageStyle::PageNumber, 1, 100, 10, Some(2));
        let mut items = PageStream::new(
            fetch,
            cursor(PageStyle::PageNumber, 1),
            Req {
                page: None,
                size: None,
            },
        )
        .items(|r| r.items);
        let mut got = Vec::new();
        let mut errors = Vec::new();
        while let Some(item) = items.next().await {
            match item {
                Ok(i) => got.push(i),
                Err(e) => errors.push(e),
            }
        }
        assert_eq!(got, (0..10).collect::<Vec<_>>());
        assert_eq!(errors, vec!["failed at call 2".to_owned()]);
        assert_eq!(seen.lock().unwrap().len(), 2);
    }

    #[tokio::test]
    async fn a_failed_stream_yields_its_error_without_calling() {
        let mut s: PageStream<Req, Resp, String> =
            PageStream::failed(cursor(PageStyle::Offset, 0), "bad input".to_owned());
        assert_eq!(s.next().await.unwrap().unwrap_err(), "bad input");
        assert!(s.next().await.is_none());
    }

    #[tokio::test]
    async fn an_empty_first_page_ends_at_once() {
        let (fetch, seen) = service(PageStyle::PageNumber, 1, 0, 10, None);
        let pages = PageStream::new(
            fetch,
            cursor(PageStyle::PageNumber, 1),
            Req {
                page: None,
                size: None,
            },
        )
        .try_collect()
        .await
        .unwrap();
        assert_eq!(pages.len(), 1);
        assert_eq!(seen.lock().unwrap().len(), 1);
    }
}
