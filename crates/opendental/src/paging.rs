//! Fetching a whole list (apiimplementation.md, "Pagination"): Open Dental returns at most 100
//! items per request (1000 on the Local API). Ask without an offset; while a page comes back
//! full, ask again from where it ended; a short page is the last.

use std::future::Future;

/// The smallest hard page limit of any Open Dental endpoint (Remote and API Service).
pub const PAGE_LIMIT: usize = 100;

/// Calls `fetch_page(offset)` until a short page, returning every item in order. Works with the
/// Local API's larger pages too: the first full page tells us the server's page size.
pub async fn fetch_all<T, E, F, Fut>(mut fetch_page: F) -> Result<Vec<T>, E>
where
    F: FnMut(usize) -> Fut,
    Fut: Future<Output = Result<Vec<T>, E>>,
{
    let mut items = Vec::new();
    let mut page_size = PAGE_LIMIT;
    loop {
        let page = fetch_page(items.len()).await?;
        let n = page.len();
        items.extend(page);
        if n < page_size || n == 0 {
            return Ok(items);
        }
        page_size = page_size.max(n);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::executor::block_on;
    use std::cell::RefCell;

    /// A fake server holding `total` items that pages them `limit` at a time.
    fn pages(
        total: usize,
        limit: usize,
        log: &RefCell<Vec<usize>>,
    ) -> impl FnMut(usize) -> std::future::Ready<Result<Vec<usize>, String>> + '_ {
        move |offset| {
            log.borrow_mut().push(offset);
            std::future::ready(Ok((offset..total.min(offset + limit)).collect()))
        }
    }

    #[test]
    fn pages_until_a_short_page() {
        let log = RefCell::new(vec![]);
        let all = block_on(fetch_all(pages(250, 100, &log))).unwrap();
        assert_eq!(all, (0..250).collect::<Vec<_>>());
        assert_eq!(*log.borrow(), vec![0, 100, 200]);
    }

    #[test]
    fn exact_multiple_needs_one_empty_page() {
        let log = RefCell::new(vec![]);
        assert_eq!(block_on(fetch_all(pages(200, 100, &log))).unwrap().len(), 200);
        assert_eq!(*log.borrow(), vec![0, 100, 200]);
    }

    #[test]
    fn short_first_page_is_one_request() {
        let log = RefCell::new(vec![]);
        assert_eq!(block_on(fetch_all(pages(7, 100, &log))).unwrap().len(), 7);
        assert_eq!(*log.borrow(), vec![0]);
    }

    #[test]
    fn local_api_pages_of_a_thousand() {
        let log = RefCell::new(vec![]);
        assert_eq!(block_on(fetch_all(pages(2500, 1000, &log))).unwrap().len(), 2500);
        assert_eq!(*log.borrow(), vec![0, 1000, 2000]);
    }

    #[test]
    fn an_error_stops_paging() {
        let mut calls = 0;
        let result: Result<Vec<u8>, &str> = block_on(fetch_all(|offset| {
            calls += 1;
            std::future::ready(if offset == 0 { Ok(vec![0; 100]) } else { Err("504") })
        }));
        assert_eq!(result, Err("504"));
        assert_eq!(calls, 2);
    }
}
