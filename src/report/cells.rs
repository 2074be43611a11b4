//! Naming a line of a notebook by its cell: a report's lines are lines of the file
//! (which editors open and GitHub annotates), and in a notebook each is also named by
//! the cell and the line inside it, which is how the notebook's reader finds it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::{CellSpan, Guide};

/// Per notebook of the run, where its cells' sources and outputs stand. In the JSON
/// report: `"cells": {"FILE": [{"cell": 3, "first": 28, "last": 30}, {"cell": 3,
/// "output": 1, "first": 20, "last": 21}]}`; a file line from `first` to `last` is line
/// `line - first + 1` of that cell's source (or of that output).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Cells(pub BTreeMap<String, Vec<CellSpan>>);

impl Cells {
    pub fn of(guides: &[Guide]) -> Cells {
        Cells(
            guides
                .iter()
                .filter(|g| !g.cells.is_empty())
                .map(|g| (g.file.clone(), g.cells.clone()))
                .collect(),
        )
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Those of other runs added, for `snipcheck merge`.
    pub fn extend(&mut self, other: &Cells) {
        for (file, spans) in &other.0 {
            self.0.entry(file.clone()).or_insert_with(|| spans.clone());
        }
    }

    /// "cell 3, line 2" for a line of a notebook's cell, or none.
    pub fn name(&self, file: &str, line: usize) -> Option<String> {
        CellSpan::name(self.0.get(file)?, line)
    }

    /// `FILE:LINE`, and in a notebook ` (cell 3, line 2)` after it: the file line
    /// first, where editors and terminals look for it.
    pub fn at(&self, file: &str, line: usize) -> String {
        match self.name(file, line) {
            Some(cell) => format!("{file}:{line} ({cell})"),
            None => format!("{file}:{line}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells() -> Cells {
        let spans = vec![
            CellSpan {
                cell: 1,
                output: None,
                first: 5,
                last: 6,
            },
            CellSpan {
                cell: 2,
                output: Some(1),
                first: 12,
                last: 14,
            },
            CellSpan {
                cell: 2,
                output: None,
                first: 20,
                last: 22,
            },
        ];
        Cells([("nb.ipynb".to_string(), spans)].into())
    }

    #[test]
    fn a_line_is_named_by_its_cell_and_its_place_in_it() {
        let c = cells();
        let table = [
            (5, "nb.ipynb:5 (cell 1, line 1)"),
            (6, "nb.ipynb:6 (cell 1, line 2)"),
            (7, "nb.ipynb:7"), // between cells: the JSON's own lines
            (12, "nb.ipynb:12 (cell 2, output 1)"),
            (14, "nb.ipynb:14 (cell 2, output 1, line 3)"),
            (22, "nb.ipynb:22 (cell 2, line 3)"),
        ];
        for (line, want) in table {
            assert_eq!(c.at("nb.ipynb", line), want);
        }
        assert_eq!(c.at("guide.md", 5), "guide.md:5");
    }

    #[test]
    fn merging_keeps_every_notebook_once() {
        let mut a = cells();
        let mut b = Cells::default();
        b.0.insert("other.ipynb".into(), vec![]);
        b.extend(&cells());
        a.extend(&b);
        assert_eq!(a.0.len(), 2);
        assert_eq!(a.0["nb.ipynb"], cells().0["nb.ipynb"]);
    }
}
