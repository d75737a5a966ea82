//! One page of a long list: the [`Window`] a caller asks for (offset and length, bounded) and the [`Slice`] it
//! gets back (the rows of the page and how many rows match in all). Listings of records that can grow without
//! bound (the register, the directory) take a window and cut in SQL or in the store, so that a page never
//! carries every row to the web.

/// The most rows one page may hold, whatever is asked.
pub const MAX_PAGE: usize = 500;

/// Which rows of a listing: `limit` rows from `offset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub offset: usize,
    pub limit: usize,
}

impl Window {
    /// The rows of page `page` (from 1) of `per_page` rows (bounded by [`MAX_PAGE`]).
    pub fn page(page: usize, per_page: usize) -> Window {
        let limit = per_page.clamp(1, MAX_PAGE);
        Window {
            offset: page.max(1).saturating_sub(1).saturating_mul(limit),
            limit,
        }
    }

    /// The page of `items` (every matching row, already in order) this window shows.
    pub fn cut<T>(&self, items: Vec<T>) -> Slice<T> {
        let total = items.len();
        let rows = items
            .into_iter()
            .skip(self.offset)
            .take(self.limit)
            .collect();
        Slice { rows, total }
    }
}

/// A page of a listing and the number of rows matching in all.
#[derive(Debug, Clone, PartialEq)]
pub struct Slice<T> {
    pub rows: Vec<T>,
    pub total: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_cuts_its_page_and_counts_every_row() {
        let w = Window::page(2, 50);
        assert_eq!(w.offset, 50);
        let s = w.cut((0..120).collect::<Vec<_>>());
        assert_eq!(s.total, 120);
        assert_eq!(s.rows.first(), Some(&50));
        assert_eq!(s.rows.len(), 50);
        assert_eq!(Window::page(0, 100_000).limit, MAX_PAGE);
        assert_eq!(Window::page(9, 50).cut(vec![1, 2]).rows, Vec::<i32>::new());
    }
}
