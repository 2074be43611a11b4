//! Python literals, as CPython's parser reads them, compared type-strictly.

/// A Python literal, read by CPython's parser, in source order.
#[derive(Debug, Clone, PartialEq)]
pub enum Lit {
    None,
    Bool(bool),
    Int(String),
    Float(String),
    Complex(String),
    Str(String),
    Bytes(String),
    List(Vec<Lit>),
    Tuple(Vec<Lit>),
    Set(Vec<Lit>),
    Dict(Vec<(Lit, Lit)>),
}

impl Lit {
    /// Reads the harness's tagged JSON (`["int", "5"]`, `["list", [...]]`, ...).
    pub fn from_json(v: &serde_json::Value) -> Option<Lit> {
        let arr = v.as_array()?;
        let tag = arr.first()?.as_str()?;
        let arg = arr.get(1);
        let text = || arg.and_then(|a| a.as_str()).map(str::to_string);
        let items =
            || -> Option<Vec<Lit>> { arg?.as_array()?.iter().map(Lit::from_json).collect() };
        Some(match tag {
            "None" => Lit::None,
            "bool" => Lit::Bool(arg?.as_bool()?),
            "int" => Lit::Int(text()?),
            "float" => Lit::Float(text()?),
            "complex" => Lit::Complex(text()?),
            "str" => Lit::Str(text()?),
            "bytes" => Lit::Bytes(text()?),
            "list" => Lit::List(items()?),
            "tuple" => Lit::Tuple(items()?),
            "set" => Lit::Set(items()?),
            "dict" => Lit::Dict(
                arg?.as_array()?
                    .iter()
                    .map(|pair| {
                        let p = pair.as_array()?;
                        Some((Lit::from_json(p.first()?)?, Lit::from_json(p.get(1)?)?))
                    })
                    .collect::<Option<Vec<_>>>()?,
            ),
            _ => return None,
        })
    }

    /// A key equal for two literals exactly when they are equal with the same types all
    /// the way down; `ordered` false ignores the order of sets and dicts.
    pub(crate) fn key(&self, ordered: bool) -> String {
        self.key_with(ordered, false)
    }

    /// `numbers` true reads ints, floats and bools as numbers, ignoring their types.
    pub(crate) fn key_with(&self, ordered: bool, numbers: bool) -> String {
        let seq = |tag: &str, items: &[Lit], sort: bool| {
            let mut keys: Vec<String> =
                items.iter().map(|i| i.key_with(ordered, numbers)).collect();
            if sort {
                keys.sort();
            }
            format!("{tag}[{}]", keys.join(","))
        };
        if numbers {
            let n = match self {
                Lit::Int(s) | Lit::Float(s) => s.parse::<f64>().ok(),
                Lit::Bool(b) => Some(f64::from(u8::from(*b))),
                _ => None,
            };
            if let Some(n) = n {
                return format!("n{n}");
            }
        }
        match self {
            Lit::None => "N".into(),
            Lit::Bool(b) => format!("b{b}"),
            Lit::Int(s) => format!("i{s}"),
            Lit::Float(s) => format!("f{s}"),
            Lit::Complex(s) => format!("c{s}"),
            Lit::Str(s) => format!("s{s:?}"),
            Lit::Bytes(s) => format!("y{s:?}"),
            Lit::List(v) => seq("L", v, false),
            Lit::Tuple(v) => seq("T", v, false),
            Lit::Set(v) => seq("S", v, !ordered),
            Lit::Dict(pairs) => {
                let mut keys: Vec<String> = pairs
                    .iter()
                    .map(|(k, v)| {
                        format!(
                            "{}:{}",
                            k.key_with(ordered, numbers),
                            v.key_with(ordered, numbers)
                        )
                    })
                    .collect();
                if !ordered {
                    keys.sort();
                }
                format!("D[{}]", keys.join(","))
            }
        }
    }
}

/// Where literals come from: CPython's parser in the product, anything in a fuzz target.
pub trait Literals {
    fn literal(&self, text: &str) -> Option<Lit>;
    /// Whether the text is a Python statement that states no value (commented-out
    /// code such as `x = 5` or `print(x)`).
    fn is_code(&self, _text: &str) -> bool {
        false
    }
}

impl Literals for crate::python::Interpreter {
    fn literal(&self, text: &str) -> Option<Lit> {
        crate::python::Interpreter::literal(self, text)
    }
    fn is_code(&self, text: &str) -> bool {
        crate::python::Interpreter::is_code(self, text)
    }
}
