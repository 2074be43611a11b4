//! A notebook's code cells as a Markdown guide whose lines are the notebook's: each
//! cell's source stands on the file lines that hold it in the JSON, fenced on the
//! lines around it (in nbformat's layout, `"source": [` and `]`), every other line
//! blank. The guide fixer rewrites its comment claims as in any guide, with all its
//! forms (claims of several lines, remarks, approximations) and its check that each
//! rewrite reads back as a claim that holds; the fixed cells are then read off the
//! fences again, in order, as lines may have been added or removed.

use crate::guide::notebook::CodeSource;

pub struct Shadow {
    pub text: String,
    /// The cells in it, in order, with their fences.
    cells: Vec<(usize, String)>,
}

impl Shadow {
    /// The shadow of a notebook's text and its code cells' sources. A cell whose
    /// fence lines are not its own (a notebook not in nbformat's layout) is left out:
    /// its comments are not fixed.
    pub fn of(text: &str, sources: &[CodeSource]) -> Shadow {
        let total = text.lines().count() + 2;
        let mut lines = vec![String::new(); total + 1]; // lines[L] is file line L
        let mut used = vec![false; total + 1];
        let mut cells = vec![];
        for s in sources {
            let (open, close) = (s.first - 1, s.first + s.lines.len());
            if open == 0 || close >= total || used[open..=close].iter().any(|&u| u) {
                continue;
            }
            let fence = fence_for(&s.lines);
            lines[open] = format!("{fence}python");
            for (k, l) in s.lines.iter().enumerate() {
                lines[s.first + k] = l.clone();
            }
            lines[close] = fence.clone();
            used[open..=close].iter_mut().for_each(|u| *u = true);
            cells.push((s.cell, fence));
        }
        let text = lines[1..].join("\n") + "\n";
        Shadow { text, cells }
    }

    /// Each cell's lines in a fixed shadow, by the cell's index; none when the
    /// fences are not all found again in order.
    pub fn sources_in(&self, fixed: &str) -> Option<Vec<(usize, Vec<String>)>> {
        let mut out = vec![];
        let mut lines = fixed.lines();
        for (cell, fence) in &self.cells {
            let open = format!("{fence}python");
            lines.find(|l| *l == open)?;
            let mut body = vec![];
            loop {
                let l = lines.next()?;
                if l == fence {
                    break;
                }
                body.push(l.to_string());
            }
            out.push((*cell, body));
        }
        Some(out)
    }
}

/// Backticks enough that no line of the source closes the fence: one more than the
/// longest run in it, three at least.
fn fence_for(lines: &[String]) -> String {
    let longest = lines
        .iter()
        .flat_map(|l| l.split(|c| c != '`'))
        .map(str::len)
        .max()
        .unwrap_or(0);
    "`".repeat((longest + 1).max(3))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(cell: usize, first: usize, lines: &[&str]) -> CodeSource {
        CodeSource {
            cell,
            first,
            lines: lines.iter().map(|l| l.to_string()).collect(),
            ends_in_newline: false,
        }
    }

    #[test]
    fn cells_stand_on_their_own_lines_and_come_back_after_a_fix() {
        let text = "{\n \"cells\": [\n  {\n   \"source\": [\n    \"x = 1\\n\",\n    \"print(x)  # 2\"\n   ]\n  },\n  {\n   \"source\": [\n    \"s = '```'\"\n   ]\n  }\n ]\n}\n";
        let sources = [
            source(0, 5, &["x = 1", "print(x)  # 2"]),
            source(1, 11, &["s = '```'"]),
        ];
        let shadow = Shadow::of(text, &sources);
        let lines: Vec<&str> = shadow.text.lines().collect();
        assert_eq!(lines[3], "```python"); // file line 4: `"source": [`
        assert_eq!(lines[4], "x = 1");
        assert_eq!(lines[5], "print(x)  # 2");
        assert_eq!(lines[6], "```");
        // a cell holding three backticks is fenced by four
        assert_eq!(lines[9], "````python");
        assert_eq!(lines[10], "s = '```'");
        // a fix that adds a line keeps every cell whole
        let fixed = shadow.text.replace("print(x)  # 2", "print(x)\n# 1");
        assert_eq!(
            shadow.sources_in(&fixed).unwrap(),
            [
                (
                    0,
                    vec!["x = 1".to_string(), "print(x)".into(), "# 1".into()]
                ),
                (1, vec!["s = '```'".to_string()]),
            ]
        );
        // fences that went missing give nothing rather than a wrong cell
        assert!(shadow
            .sources_in(&fixed.replace("````python", ""))
            .is_none());
    }

    #[test]
    fn a_cell_without_lines_of_its_own_for_fences_is_left_out() {
        // two one-line sources on neighbouring lines: the second's fence would be
        // the first's code
        let sources = [source(0, 2, &["a = 1"]), source(1, 3, &["b = 2"])];
        let shadow = Shadow::of("{\na\nb\n}\n", &sources);
        assert_eq!(shadow.cells.len(), 1);
        assert_eq!(shadow.cells[0].0, 0);
    }
}
