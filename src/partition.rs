//! `--partition slice:K/N` and `hash:K/N` (nextest's convention): the Kth of N parts of
//! a run's questions, for CI jobs that check one part each; `snipcheck merge` puts
//! their JSON reports back together (`crate::merge`).
//!
//! A part is a set of whole questions, taken from every question of every guide in
//! guide order (questions with no code too, so that each question is in exactly one
//! part). `slice` deals them out in turn: question i (from 0) is in part i mod N + 1.
//! `hash` puts a question in the part its guide and id hash to, so that a question
//! stays in its part when others are added or removed.

use anyhow::{anyhow, bail, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::model::Guide;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Slice,
    Hash,
}

/// A `--partition` spec: part `k` (1-based) of `n`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Partition {
    pub method: Method,
    pub k: usize,
    pub n: usize,
}

impl std::str::FromStr for Partition {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        parse(text).map_err(|e| e.to_string())
    }
}

fn parse(text: &str) -> Result<Partition> {
    let usage = || anyhow!("{text:?}: expected slice:K/N or hash:K/N, like slice:1/3");
    let (method, part) = text.split_once(':').ok_or_else(usage)?;
    let method = match method {
        "slice" => Method::Slice,
        "hash" => Method::Hash,
        _ => return Err(usage()),
    };
    let (k, n) = part.split_once('/').ok_or_else(usage)?;
    let (k, n): (usize, usize) = (
        k.trim().parse().map_err(|_| usage())?,
        n.trim().parse().map_err(|_| usage())?,
    );
    if n == 0 || k == 0 || k > n {
        bail!("{text:?}: the part K must be from 1 to N, and N at least 1");
    }
    Ok(Partition { method, k, n })
}

impl std::fmt::Display for Partition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let method = match self.method {
            Method::Slice => "slice",
            Method::Hash => "hash",
        };
        write!(f, "{method}:{}/{}", self.k, self.n)
    }
}

/// What a report of one part says of the whole run, for `snipcheck merge`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Shard {
    /// The `--partition` spec, `slice:1/3`.
    pub part: String,
    /// Every guide of the whole run, in its order: the order of the merged report.
    pub guides: Vec<String>,
    /// Questions of the whole run (after `--question` and `--filter`).
    pub questions: usize,
    /// The run was `--strict`: what fails in the merged report.
    pub strict: bool,
}

impl Partition {
    /// Keeps the questions of this part in the guides; says what the whole run was.
    pub fn select(&self, guides: &mut [Guide], strict: bool) -> Shard {
        let shard = Shard {
            part: self.to_string(),
            guides: guides.iter().map(|g| g.file.clone()).collect(),
            questions: guides.iter().map(|g| g.questions.len()).sum(),
            strict,
        };
        let mut index = 0usize;
        for g in guides.iter_mut() {
            let file = g.file.clone();
            g.questions.retain(|q| {
                let part = match self.method {
                    Method::Slice => index % self.n,
                    Method::Hash => (hash(&file, &q.id) % self.n as u64) as usize,
                };
                index += 1;
                part + 1 == self.k
            });
        }
        shard
    }
}

/// A question's hash: of its guide and its id, which do not move when lines do.
fn hash(file: &str, id: &str) -> u64 {
    let digest = Sha256::new()
        .chain_update(file.as_bytes())
        .chain_update([0u8])
        .chain_update(id.as_bytes())
        .finalize();
    u64::from_be_bytes(digest[..8].try_into().expect("8 bytes"))
}

/// The part and count of a `Shard::part` spec.
pub fn of(shard: &Shard) -> Result<Partition> {
    parse(&shard.part)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Question;

    fn guide(n: usize) -> Guide {
        Guide {
            file: "g.md".into(),
            questions: (0..n)
                .map(|i| Question {
                    id: i.to_string(),
                    title: format!("q{i}"),
                    line: i + 1,
                    examples: vec![],
                })
                .collect(),
            cells: vec![],
            one_namespace: false,
            warnings: vec![],
        }
    }

    #[test]
    fn specs_are_read_and_bad_ones_refused() {
        let p: Partition = "hash:2/5".parse().unwrap();
        assert_eq!((p.method, p.k, p.n), (Method::Hash, 2, 5));
        assert_eq!(p.to_string(), "hash:2/5");
        for bad in [
            "slice:0/3",
            "slice:4/3",
            "slice:1/0",
            "count:1/3",
            "slice:1",
            "slice:a/3",
            "",
        ] {
            assert!(bad.parse::<Partition>().is_err(), "{bad}");
        }
    }

    #[test]
    fn every_question_is_in_exactly_one_part() {
        for method in ["slice", "hash"] {
            let mut seen = vec![];
            for k in 1..=3 {
                let mut g = [guide(10)];
                let p: Partition = format!("{method}:{k}/3").parse().unwrap();
                let shard = p.select(&mut g, false);
                assert_eq!(shard.questions, 10);
                seen.extend(g[0].questions.iter().map(|q| q.id.clone()));
            }
            seen.sort_by_key(|id| id.parse::<usize>().unwrap());
            let all: Vec<String> = (0..10).map(|i| i.to_string()).collect();
            assert_eq!(seen, all, "{method}");
        }
        let mut g = [guide(7)];
        "slice:2/3"
            .parse::<Partition>()
            .unwrap()
            .select(&mut g, false);
        let ids: Vec<&str> = g[0].questions.iter().map(|q| q.id.as_str()).collect();
        assert_eq!(ids, ["1", "4"]);
    }
}
