//! Python versions as guides and users write them: `3.13`, `3.13.0`, `3.11.7+`.

use std::fmt;

/// A CPython version; a missing part is `None` (`3.13` names every 3.13.x).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PyVersion {
    pub major: u32,
    pub minor: u32,
    pub patch: Option<u32>,
}

impl PyVersion {
    /// `3`, `3.13` or `3.13.0` (a trailing `+`, release letters and the like are not
    /// part of it: `3.13.0rc1` reads as 3.13.0).
    pub fn parse(text: &str) -> Option<PyVersion> {
        let mut parts = text.trim().split('.');
        let major = parts.next()?.parse().ok()?;
        let minor = match parts.next() {
            Some(m) => m.parse().ok()?,
            None => return None,
        };
        let patch = match parts.next() {
            Some(p) => {
                let digits: String = p.chars().take_while(char::is_ascii_digit).collect();
                Some(digits.parse().ok()?)
            }
            None => None,
        };
        if parts.next().is_some() {
            return None;
        }
        Some(PyVersion {
            major,
            minor,
            patch,
        })
    }

    /// Whether `self`, as given by a user (`3.13`), names `other` (`3.13.0`).
    pub fn names(&self, other: &PyVersion) -> bool {
        self.major == other.major
            && self.minor == other.minor
            && self.patch.is_none_or(|p| Some(p) == other.patch)
    }

    /// Major and minor only: what guides qualify claims by.
    pub fn minor_version(&self) -> (u32, u32) {
        (self.major, self.minor)
    }
}

impl fmt::Display for PyVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.patch {
            Some(p) => write!(f, "{}.{}.{}", self.major, self.minor, p),
            None => write!(f, "{}.{}", self.major, self.minor),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_as_people_write_them() {
        let v = |t| PyVersion::parse(t);
        assert_eq!(v("3.13").unwrap().to_string(), "3.13");
        assert_eq!(v("3.13.0").unwrap().to_string(), "3.13.0");
        assert_eq!(v("3.13.0rc1").unwrap().to_string(), "3.13.0");
        assert!(v("3").is_none() && v("x.y").is_none() && v("3.1.2.3").is_none());
        assert!(v("3.13").unwrap().names(&v("3.13.4").unwrap()));
        assert!(!v("3.13.1").unwrap().names(&v("3.13.4").unwrap()));
        assert!(v("3.9.1").unwrap() < v("3.10.0").unwrap());
    }
}
