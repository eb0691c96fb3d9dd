//! The XLSForm expression subset plugin forms use in `constraint`, `relevant`, `calculation`
//! and `choice_filter`.
//!
//! A small recursive-descent parser and evaluator, with XPath 1.0 value semantics as XLSForm
//! (ODK) uses them:
//!
//! - `.` is the current field's value, `${name}` another field's, a bare name (`filter`,
//!   `name`, `label`) a column of the choice a choice filter is evaluated for;
//! - a field without a value reads as the empty string; a select-many value reads as its
//!   choice names separated by spaces, a yes/no value as `'yes'` / `'no'`, a date as a date;
//! - `=` / `!=` compare as booleans if either side is a boolean, else as dates if either side
//!   is a date, else as numbers if either side is a number, else as strings; `< <= > >=`
//!   compare dates as dates (also two date strings) and anything else as numbers, so a
//!   comparison with a text that is not a number (or with an empty value) is false;
//! - arithmetic works on numbers (an empty value is NaN, which makes the result empty); a
//!   division or `mod` by zero is an error, not infinity.
//!
//! Operators, loosest first: `or`, `and`, `= !=`, `< <= > >=`, `+ -`, `* div mod`, unary `-`.
//! Functions: `if(c, a, b)`, `selected(s, x)`, `count-selected(s)`, `string-length([s])`,
//! `today()`, `date(x)`, `number(x)`, `coalesce(a, b, …)`, `not(x)`, `true()`, `false()`,
//! `boolean(x)`, `string(x)`, `concat(…)`, `int(x)`.
//!
//! Why not a general crate such as `evalexpr`: its values are strictly typed (comparing a
//! string with a number, or an empty value with `0`, is a type error there, where XPath
//! converts), `=` is its assignment, and `${x}`, `.`, `div`/`mod` and hyphenated function
//! names would all need rewriting before it could parse them; the translation would be
//! larger and harder to get right than this parser. Errors (a plugin's typo) are values,
//! never panics; nesting is limited so a hostile expression cannot exhaust the stack.

use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::rc::Rc;

use chrono::NaiveDate;

use crate::record::Value;

/// How deeply an expression may nest (parentheses, function arguments, unary minus).
const MAX_DEPTH: usize = 64;

/// A value while an expression is evaluated.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprValue {
    Text(String),
    Number(f64),
    Bool(bool),
    Date(NaiveDate),
}

/// An expression that does not parse, or fails while it is evaluated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("表达式“{expr}”有误：{message}")]
pub struct ExprError {
    /// The expression as written.
    pub expr: String,
    pub message: String,
}

/// What an expression reads: field values, the current value, a choice's columns, today.
pub trait Scope {
    /// `${name}`: the field's value (empty text when it has none), or `None` when there is
    /// no such field (an error).
    fn field(&self, name: &str) -> Option<ExprValue>;
    /// `.`: the current field's value.
    fn current(&self) -> ExprValue {
        ExprValue::empty()
    }
    /// A bare name: in a choice filter, a column of the choice (`filter`, `name`, `label`);
    /// `None` when the name means nothing here (an error).
    fn name(&self, _name: &str) -> Option<ExprValue> {
        None
    }
    /// `today()`: the caller's date (the core has no clock).
    fn today(&self) -> NaiveDate;
}

fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or(NaiveDate::MIN)
}

/// `YYYY-MM-DD` exactly (what dates are stored as).
pub(crate) fn parse_iso_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// XPath `number()` of a string: optional `-`, digits with an optional fraction; anything
/// else (including the empty string) is NaN.
fn parse_number(s: &str) -> f64 {
    let t = s.trim();
    let body = t.strip_prefix('-').unwrap_or(t);
    let mut digits = 0;
    let mut dots = 0;
    for c in body.chars() {
        match c {
            '0'..='9' => digits += 1,
            '.' => dots += 1,
            _ => return f64::NAN,
        }
    }
    if digits == 0 || dots > 1 {
        return f64::NAN;
    }
    t.parse().unwrap_or(f64::NAN)
}

/// A number as XPath writes it: integers without a fraction, NaN as "NaN".
pub(crate) fn format_number(x: f64) -> String {
    if x.is_nan() {
        "NaN".to_owned()
    } else if x.is_infinite() {
        if x > 0.0 { "Infinity" } else { "-Infinity" }.to_owned()
    } else if x.fract() == 0.0 && x.abs() < 1e15 {
        // `as` is exact here (|x| < 1e15); `+ 0.0` avoids "-0".
        format!("{}", (x + 0.0) as i64)
    } else {
        format!("{x}")
    }
}

impl ExprValue {
    /// The empty string: what a field without a value reads as.
    pub fn empty() -> ExprValue {
        ExprValue::Text(String::new())
    }

    /// A record value as expressions read it (see the module documentation).
    pub fn from_value(v: Option<&Value>) -> ExprValue {
        match v {
            None => ExprValue::empty(),
            Some(Value::Text(t)) => ExprValue::Text(t.clone()),
            Some(Value::Integer(i)) => ExprValue::Number(*i as f64),
            Some(Value::Decimal(d)) => ExprValue::Number(*d),
            Some(Value::Date(d)) => match parse_iso_date(d) {
                Some(d) => ExprValue::Date(d),
                None => ExprValue::Text(d.clone()),
            },
            Some(Value::Choices(c)) => ExprValue::Text(c.join(" ")),
            Some(Value::Flag(b)) => ExprValue::Text(if *b { "yes" } else { "no" }.to_owned()),
        }
    }

    /// XPath `string()`.
    pub fn to_text(&self) -> String {
        match self {
            ExprValue::Text(t) => t.clone(),
            ExprValue::Number(x) => format_number(*x),
            ExprValue::Bool(b) => if *b { "true" } else { "false" }.to_owned(),
            ExprValue::Date(d) => d.format("%Y-%m-%d").to_string(),
        }
    }

    /// XPath `number()`; a date is its day count since 1970-01-01 (as in ODK).
    pub fn to_number(&self) -> f64 {
        match self {
            ExprValue::Text(t) => parse_number(t),
            ExprValue::Number(x) => *x,
            ExprValue::Bool(b) => f64::from(u8::from(*b)),
            ExprValue::Date(d) => (*d - epoch()).num_days() as f64,
        }
    }

    /// XPath `boolean()`: a non-empty text, a number other than 0 and NaN, any date.
    pub fn to_bool(&self) -> bool {
        match self {
            ExprValue::Text(t) => !t.is_empty(),
            ExprValue::Number(x) => *x != 0.0 && !x.is_nan(),
            ExprValue::Bool(b) => *b,
            ExprValue::Date(_) => true,
        }
    }

    /// The value as a date, if it is one (a date, an ISO date text, a day count).
    pub fn to_date(&self) -> Option<NaiveDate> {
        match self {
            ExprValue::Date(d) => Some(*d),
            ExprValue::Text(t) => parse_iso_date(t.trim()),
            ExprValue::Number(x) if x.is_finite() && x.abs() < 1e7 => {
                epoch().checked_add_signed(chrono::Duration::days(x.floor() as i64))
            }
            _ => None,
        }
    }

    /// True for the empty text and NaN (what a missing value yields).
    pub fn is_empty(&self) -> bool {
        match self {
            ExprValue::Text(t) => t.is_empty(),
            ExprValue::Number(x) => x.is_nan(),
            _ => false,
        }
    }
}

impl fmt::Display for ExprValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_text())
    }
}

fn values_equal(a: &ExprValue, b: &ExprValue) -> bool {
    use ExprValue as V;
    match (a, b) {
        (V::Bool(_), _) | (_, V::Bool(_)) => a.to_bool() == b.to_bool(),
        (V::Date(_), _) | (_, V::Date(_)) => match (a.to_date(), b.to_date()) {
            (Some(x), Some(y)) => x == y,
            _ => a.to_text() == b.to_text(),
        },
        (V::Number(_), _) | (_, V::Number(_)) => a.to_number() == b.to_number(),
        (V::Text(x), V::Text(y)) => x == y,
    }
}

fn order(a: &ExprValue, b: &ExprValue) -> Option<Ordering> {
    use ExprValue as V;
    let dates = match (a, b) {
        (V::Date(_), _) | (_, V::Date(_)) => true,
        (V::Text(_), V::Text(_)) => a.to_date().is_some() && b.to_date().is_some(),
        _ => false,
    };
    if dates {
        match (a.to_date(), b.to_date()) {
            (Some(x), Some(y)) => Some(x.cmp(&y)),
            _ => None,
        }
    } else {
        a.to_number().partial_cmp(&b.to_number())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BinOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Func {
    If,
    Selected,
    CountSelected,
    StringLength,
    Today,
    Date,
    Number,
    Coalesce,
    Not,
    True,
    False,
    Boolean,
    String,
    Concat,
    Int,
}

impl Func {
    /// Name, minimum and maximum number of arguments.
    const ALL: [(&'static str, Func, usize, usize); 15] = [
        ("if", Func::If, 3, 3),
        ("selected", Func::Selected, 2, 2),
        ("count-selected", Func::CountSelected, 1, 1),
        ("string-length", Func::StringLength, 0, 1),
        ("today", Func::Today, 0, 0),
        ("date", Func::Date, 1, 1),
        ("number", Func::Number, 1, 1),
        ("coalesce", Func::Coalesce, 2, usize::MAX),
        ("not", Func::Not, 1, 1),
        ("true", Func::True, 0, 0),
        ("false", Func::False, 0, 0),
        ("boolean", Func::Boolean, 1, 1),
        ("string", Func::String, 1, 1),
        ("concat", Func::Concat, 0, usize::MAX),
        ("int", Func::Int, 1, 1),
    ];
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Lit(ExprValue),
    Field(String),
    Current,
    Name(String),
    Neg(Box<Node>),
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    Bin(BinOp, Box<Node>, Box<Node>),
    Call(Func, Vec<Node>),
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(f64),
    Str(String),
    Field(String),
    Dot,
    Ident(String),
    Op(BinOp),
    LParen,
    RParen,
    Comma,
}

impl fmt::Display for Tok {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tok::Num(x) => f.write_str(&format_number(*x)),
            Tok::Str(s) => write!(f, "'{s}'"),
            Tok::Field(n) => write!(f, "${{{n}}}"),
            Tok::Dot => f.write_str("."),
            Tok::Ident(n) => f.write_str(n),
            Tok::Op(op) => f.write_str(match op {
                BinOp::Eq => "=",
                BinOp::Ne => "!=",
                BinOp::Lt => "<",
                BinOp::Le => "<=",
                BinOp::Gt => ">",
                BinOp::Ge => ">=",
                BinOp::Add => "+",
                BinOp::Sub => "-",
                BinOp::Mul => "*",
                BinOp::Div => "div",
                BinOp::Mod => "mod",
            }),
            Tok::LParen => f.write_str("("),
            Tok::RParen => f.write_str(")"),
            Tok::Comma => f.write_str(","),
        }
    }
}

fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

fn tokenize(src: &str) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            c if c.is_whitespace() => i += 1,
            '$' => {
                if next != Some('{') {
                    return Err("“$”后应为“{字段名}”".to_owned());
                }
                let start = i + 2;
                let end = (start..chars.len())
                    .find(|&j| chars[j] == '}')
                    .ok_or_else(|| "“${”没有对应的“}”".to_owned())?;
                let name: String = chars[start..end].iter().collect();
                let name = name.trim().to_owned();
                if name.is_empty() || !name.chars().all(is_name_char) {
                    return Err(format!("字段引用“${{{name}}}”不合规"));
                }
                out.push(Tok::Field(name));
                i = end + 1;
            }
            '\'' | '"' => {
                let end = (i + 1..chars.len())
                    .find(|&j| chars[j] == c)
                    .ok_or_else(|| "字符串缺少结束引号".to_owned())?;
                out.push(Tok::Str(chars[i + 1..end].iter().collect()));
                i = end + 1;
            }
            '0'..='9' | '.' if c != '.' || next.is_some_and(|n| n.is_ascii_digit()) => {
                let start = i;
                let mut dot = false;
                while i < chars.len() && (chars[i].is_ascii_digit() || (chars[i] == '.' && !dot)) {
                    dot |= chars[i] == '.';
                    i += 1;
                }
                let text: String = chars[start..i].iter().collect();
                let x: f64 = text.parse().map_err(|_| format!("数字“{text}”不合规"))?;
                out.push(Tok::Num(x));
            }
            '.' => {
                out.push(Tok::Dot);
                i += 1;
            }
            c if is_name_start(c) => {
                let start = i;
                while i < chars.len() && is_name_char(chars[i]) {
                    i += 1;
                }
                out.push(Tok::Ident(chars[start..i].iter().collect()));
            }
            '(' | ')' | ',' | '+' | '-' | '*' | '=' => {
                out.push(match c {
                    '(' => Tok::LParen,
                    ')' => Tok::RParen,
                    ',' => Tok::Comma,
                    '+' => Tok::Op(BinOp::Add),
                    '-' => Tok::Op(BinOp::Sub),
                    '*' => Tok::Op(BinOp::Mul),
                    _ => Tok::Op(BinOp::Eq),
                });
                i += 1;
            }
            '!' | '<' | '>' => {
                let eq = next == Some('=');
                let op = match (c, eq) {
                    ('!', true) => BinOp::Ne,
                    ('<', false) => BinOp::Lt,
                    ('<', true) => BinOp::Le,
                    ('>', false) => BinOp::Gt,
                    ('>', true) => BinOp::Ge,
                    _ => return Err("“!”后应为“=”".to_owned()),
                };
                out.push(Tok::Op(op));
                i += if eq { 2 } else { 1 };
            }
            other => return Err(format!("不认识的字符“{other}”")),
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    fn eat_keyword(&mut self, kw: &str) -> bool {
        if matches!(self.peek(), Some(Tok::Ident(n)) if n == kw) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn eat_op(&mut self, ops: &[BinOp]) -> Option<BinOp> {
        match self.peek() {
            Some(Tok::Op(op)) if ops.contains(op) => {
                let op = *op;
                self.pos += 1;
                Some(op)
            }
            _ => None,
        }
    }

    fn enter(&mut self) -> Result<(), String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            Err(format!("嵌套超过{MAX_DEPTH}层"))
        } else {
            Ok(())
        }
    }

    fn expr(&mut self) -> Result<Node, String> {
        self.enter()?;
        let mut left = self.and()?;
        while self.eat_keyword("or") {
            left = Node::Or(Box::new(left), Box::new(self.and()?));
        }
        self.depth -= 1;
        Ok(left)
    }

    fn and(&mut self) -> Result<Node, String> {
        let mut left = self.equality()?;
        while self.eat_keyword("and") {
            left = Node::And(Box::new(left), Box::new(self.equality()?));
        }
        Ok(left)
    }

    fn equality(&mut self) -> Result<Node, String> {
        let mut left = self.relational()?;
        while let Some(op) = self.eat_op(&[BinOp::Eq, BinOp::Ne]) {
            left = Node::Bin(op, Box::new(left), Box::new(self.relational()?));
        }
        Ok(left)
    }

    fn relational(&mut self) -> Result<Node, String> {
        let mut left = self.additive()?;
        while let Some(op) = self.eat_op(&[BinOp::Lt, BinOp::Le, BinOp::Gt, BinOp::Ge]) {
            left = Node::Bin(op, Box::new(left), Box::new(self.additive()?));
        }
        Ok(left)
    }

    fn additive(&mut self) -> Result<Node, String> {
        let mut left = self.multiplicative()?;
        while let Some(op) = self.eat_op(&[BinOp::Add, BinOp::Sub]) {
            left = Node::Bin(op, Box::new(left), Box::new(self.multiplicative()?));
        }
        Ok(left)
    }

    fn multiplicative(&mut self) -> Result<Node, String> {
        let mut left = self.unary()?;
        loop {
            let op = if self.eat_op(&[BinOp::Mul]).is_some() {
                BinOp::Mul
            } else if self.eat_keyword("div") {
                BinOp::Div
            } else if self.eat_keyword("mod") {
                BinOp::Mod
            } else {
                return Ok(left);
            };
            left = Node::Bin(op, Box::new(left), Box::new(self.unary()?));
        }
    }

    fn unary(&mut self) -> Result<Node, String> {
        if self.eat_op(&[BinOp::Sub]).is_some() {
            self.enter()?;
            let inner = self.unary()?;
            self.depth -= 1;
            return Ok(Node::Neg(Box::new(inner)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Node, String> {
        match self.next() {
            None => Err("表达式不完整".to_owned()),
            Some(Tok::Num(x)) => Ok(Node::Lit(ExprValue::Number(x))),
            Some(Tok::Str(s)) => Ok(Node::Lit(ExprValue::Text(s))),
            Some(Tok::Field(n)) => Ok(Node::Field(n)),
            Some(Tok::Dot) => Ok(Node::Current),
            Some(Tok::LParen) => {
                let inner = self.expr()?;
                match self.next() {
                    Some(Tok::RParen) => Ok(inner),
                    _ => Err("缺少“)”".to_owned()),
                }
            }
            Some(Tok::Ident(name)) => {
                if self.peek() != Some(&Tok::LParen) {
                    return Ok(Node::Name(name));
                }
                self.pos += 1;
                let (func, min, max) = Func::ALL
                    .iter()
                    .find(|(n, ..)| *n == name)
                    .map(|(_, f, min, max)| (*f, *min, *max))
                    .ok_or_else(|| format!("不支持的函数“{name}()”"))?;
                let mut args = Vec::new();
                if self.peek() == Some(&Tok::RParen) {
                    self.pos += 1;
                } else {
                    loop {
                        args.push(self.expr()?);
                        match self.next() {
                            Some(Tok::Comma) => {}
                            Some(Tok::RParen) => break,
                            _ => return Err(format!("函数“{name}()”的参数后缺少“,”或“)”")),
                        }
                    }
                }
                if args.len() < min || args.len() > max {
                    let want = if min == max {
                        format!("{min}个")
                    } else if max == usize::MAX {
                        format!("至少{min}个")
                    } else {
                        format!("{min}至{max}个")
                    };
                    return Err(format!(
                        "函数“{name}()”应有{want}参数，写了{}个",
                        args.len()
                    ));
                }
                Ok(Node::Call(func, args))
            }
            Some(t) => Err(format!("“{t}”不应出现在这里")),
        }
    }
}

/// Expressions kept parsed per thread ([`Expr::parse_cached`]).
pub const PARSED_KEPT: usize = 512;

thread_local! {
    static PARSED: RefCell<HashMap<String, Rc<Expr>>> = RefCell::new(HashMap::new());
}

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    source: String,
    root: Node,
}

impl Expr {
    /// [`Expr::parse`], remembered per thread: a form's rules are the same few expressions
    /// checked for every record (an import checks a hundred thousand), parsed once each.
    /// At most [`PARSED_KEPT`] are kept; errors are not kept.
    pub fn parse_cached(source: &str) -> Result<Rc<Expr>, ExprError> {
        PARSED.with(|cell| {
            let mut kept = cell.borrow_mut();
            if let Some(e) = kept.get(source) {
                return Ok(Rc::clone(e));
            }
            let e = Rc::new(Expr::parse(source)?);
            if kept.len() >= PARSED_KEPT {
                kept.clear();
            }
            kept.insert(source.to_owned(), Rc::clone(&e));
            Ok(e)
        })
    }

    /// Parses `source`; a syntax error names what is wrong.
    pub fn parse(source: &str) -> Result<Expr, ExprError> {
        let err = |message: String| ExprError {
            expr: source.to_owned(),
            message,
        };
        let toks = tokenize(source).map_err(err)?;
        if toks.is_empty() {
            return Err(err("表达式为空".to_owned()));
        }
        let mut p = Parser {
            toks,
            pos: 0,
            depth: 0,
        };
        let root = p.expr().map_err(err)?;
        if let Some(t) = p.peek() {
            return Err(err(format!("“{t}”不应出现在这里")));
        }
        Ok(Expr {
            source: source.to_owned(),
            root,
        })
    }

    /// The expression as written.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The fields the expression names as `${name}`.
    pub fn fields(&self) -> BTreeSet<String> {
        self.collect(|n| match n {
            Node::Field(name) => Some(name),
            _ => None,
        })
    }

    /// The bare names the expression uses (choice columns in a choice filter).
    pub fn names(&self) -> BTreeSet<String> {
        self.collect(|n| match n {
            Node::Name(name) => Some(name),
            _ => None,
        })
    }

    /// The strings `pick` takes from the nodes of the tree.
    fn collect(&self, pick: impl Fn(&Node) -> Option<&String>) -> BTreeSet<String> {
        fn walk<'n>(
            n: &'n Node,
            pick: &dyn Fn(&'n Node) -> Option<&'n String>,
            out: &mut BTreeSet<String>,
        ) {
            if let Some(s) = pick(n) {
                out.insert(s.clone());
            }
            match n {
                Node::Neg(a) => walk(a, pick, out),
                Node::And(a, b) | Node::Or(a, b) | Node::Bin(_, a, b) => {
                    walk(a, pick, out);
                    walk(b, pick, out);
                }
                Node::Call(_, args) => args.iter().for_each(|a| walk(a, pick, out)),
                Node::Lit(_) | Node::Current | Node::Field(_) | Node::Name(_) => {}
            }
        }
        let mut out = BTreeSet::new();
        walk(&self.root, &pick, &mut out);
        out
    }

    /// Evaluates the expression against `scope`.
    pub fn eval(&self, scope: &dyn Scope) -> Result<ExprValue, ExprError> {
        eval(&self.root, scope).map_err(|message| ExprError {
            expr: self.source.clone(),
            message,
        })
    }

    /// Evaluates the expression as a condition (XPath `boolean()` of its value).
    pub fn eval_bool(&self, scope: &dyn Scope) -> Result<bool, ExprError> {
        self.eval(scope).map(|v| v.to_bool())
    }
}

/// Parses and evaluates `source` in one step.
pub fn evaluate(source: &str, scope: &dyn Scope) -> Result<ExprValue, ExprError> {
    Expr::parse_cached(source)?.eval(scope)
}

fn arith(op: BinOp, a: f64, b: f64) -> Result<f64, String> {
    Ok(match op {
        BinOp::Add => a + b,
        BinOp::Sub => a - b,
        BinOp::Mul => a * b,
        BinOp::Div | BinOp::Mod if b == 0.0 => return Err("除数为零".to_owned()),
        BinOp::Div => a / b,
        BinOp::Mod => a % b,
        _ => return Err("内部错误：不是算术运算".to_owned()),
    })
}

fn eval(node: &Node, scope: &dyn Scope) -> Result<ExprValue, String> {
    use ExprValue as V;
    Ok(match node {
        Node::Lit(v) => v.clone(),
        Node::Current => scope.current(),
        Node::Field(name) => scope
            .field(name)
            .ok_or_else(|| format!("表单没有字段“{name}”"))?,
        Node::Name(name) => scope
            .name(name)
            .ok_or_else(|| format!("不认识的名称“{name}”（字段应写作“${{{name}}}”）"))?,
        Node::Neg(a) => V::Number(-eval(a, scope)?.to_number()),
        Node::And(a, b) => V::Bool(eval(a, scope)?.to_bool() && eval(b, scope)?.to_bool()),
        Node::Or(a, b) => V::Bool(eval(a, scope)?.to_bool() || eval(b, scope)?.to_bool()),
        Node::Bin(op, a, b) => {
            let (a, b) = (eval(a, scope)?, eval(b, scope)?);
            match op {
                BinOp::Eq => V::Bool(values_equal(&a, &b)),
                BinOp::Ne => V::Bool(!values_equal(&a, &b)),
                BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                    let o = order(&a, &b);
                    V::Bool(match op {
                        BinOp::Lt => o == Some(Ordering::Less),
                        BinOp::Le => matches!(o, Some(Ordering::Less | Ordering::Equal)),
                        BinOp::Gt => o == Some(Ordering::Greater),
                        _ => matches!(o, Some(Ordering::Greater | Ordering::Equal)),
                    })
                }
                _ => V::Number(arith(*op, a.to_number(), b.to_number())?),
            }
        }
        Node::Call(func, args) => call(*func, args, scope)?,
    })
}

fn call(func: Func, args: &[Node], scope: &dyn Scope) -> Result<ExprValue, String> {
    use ExprValue as V;
    let arg = |i: usize| -> Result<ExprValue, String> {
        match args.get(i) {
            Some(a) => eval(a, scope),
            None => Err("内部错误：缺少参数".to_owned()),
        }
    };
    Ok(match func {
        Func::If => {
            if arg(0)?.to_bool() {
                arg(1)?
            } else {
                arg(2)?
            }
        }
        Func::Selected => {
            let list = arg(0)?.to_text();
            let item = arg(1)?.to_text();
            let item = item.trim();
            V::Bool(list.split_whitespace().any(|s| s == item))
        }
        Func::CountSelected => V::Number(arg(0)?.to_text().split_whitespace().count() as f64),
        Func::StringLength => {
            let s = if args.is_empty() {
                scope.current()
            } else {
                arg(0)?
            };
            V::Number(s.to_text().chars().count() as f64)
        }
        Func::Today => V::Date(scope.today()),
        Func::Date => {
            let v = arg(0)?;
            if v.is_empty() {
                V::empty()
            } else {
                match (&v, v.to_date()) {
                    (V::Bool(_), _) | (_, None) => {
                        return Err(format!("date()的参数“{v}”不是日期"));
                    }
                    (_, Some(d)) => V::Date(d),
                }
            }
        }
        Func::Number => V::Number(arg(0)?.to_number()),
        Func::Coalesce => {
            for i in 0..args.len() {
                let v = arg(i)?;
                if !v.is_empty() {
                    return Ok(v);
                }
            }
            V::empty()
        }
        Func::Not => V::Bool(!arg(0)?.to_bool()),
        Func::True => V::Bool(true),
        Func::False => V::Bool(false),
        Func::Boolean => V::Bool(arg(0)?.to_bool()),
        Func::String => V::Text(arg(0)?.to_text()),
        Func::Concat => {
            let mut s = String::new();
            for i in 0..args.len() {
                s.push_str(&arg(i)?.to_text());
            }
            V::Text(s)
        }
        Func::Int => V::Number(arg(0)?.to_number().trunc()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    struct Env {
        fields: BTreeMap<String, Value>,
        known: Vec<&'static str>,
        current: Option<Value>,
        choice: Option<(&'static str, &'static str, &'static str)>,
    }

    impl Scope for Env {
        fn field(&self, name: &str) -> Option<ExprValue> {
            if self.fields.contains_key(name) || self.known.contains(&name) {
                Some(ExprValue::from_value(self.fields.get(name)))
            } else {
                None
            }
        }
        fn current(&self) -> ExprValue {
            ExprValue::from_value(self.current.as_ref())
        }
        fn name(&self, name: &str) -> Option<ExprValue> {
            let (n, l, f) = self.choice?;
            match name {
                "name" => Some(ExprValue::Text(n.into())),
                "label" => Some(ExprValue::Text(l.into())),
                "filter" => Some(ExprValue::Text(f.into())),
                _ => None,
            }
        }
        fn today(&self) -> NaiveDate {
            NaiveDate::from_ymd_opt(2020, 8, 1).unwrap()
        }
    }

    fn env(fields: &[(&str, Value)]) -> Env {
        Env {
            fields: fields
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect(),
            known: vec!["missing", "other_missing"],
            current: None,
            choice: None,
        }
    }

    fn t(s: &str) -> Value {
        Value::Text(s.to_owned())
    }

    fn ev(src: &str, e: &Env) -> ExprValue {
        evaluate(src, e).unwrap_or_else(|err| panic!("{src}: {err}"))
    }

    fn yes(src: &str, e: &Env) -> bool {
        match ev(src, e) {
            ExprValue::Bool(b) => b,
            other => panic!("{src}: not a boolean: {other:?}"),
        }
    }

    fn err(src: &str, e: &Env) -> String {
        match evaluate(src, e) {
            Ok(v) => panic!("{src}: expected an error, got {v:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn literals_and_arithmetic() {
        let e = env(&[]);
        assert_eq!(ev("1 + 2 * 3", &e), ExprValue::Number(7.0));
        assert_eq!(ev("(1 + 2) * 3", &e), ExprValue::Number(9.0));
        assert_eq!(ev("7 div 2", &e), ExprValue::Number(3.5));
        assert_eq!(ev("7 mod 3", &e), ExprValue::Number(1.0));
        assert_eq!(ev("-7 mod 3", &e), ExprValue::Number(-1.0));
        assert_eq!(ev("10 - 2 - 3", &e), ExprValue::Number(5.0));
        assert_eq!(ev("--2", &e), ExprValue::Number(2.0));
        assert_eq!(ev(".5 + 1", &e), ExprValue::Number(1.5));
        assert_eq!(ev("'a' ", &e), ExprValue::Text("a".into()));
        assert_eq!(ev("\"双引号\"", &e), ExprValue::Text("双引号".into()));
    }

    #[test]
    fn adjacent_literals_are_a_syntax_error() {
        // XPath strings have no escapes: 'it''s' is two literals side by side.
        assert!(Expr::parse("'it''s'").is_err());
        let e = env(&[]);
        assert!(Expr::parse("'a' 'b'").is_err());
        assert!(err("1 2", &e).contains("不应出现"));
    }

    #[test]
    fn division_and_mod_by_zero_are_errors_not_panics() {
        let e = env(&[("zero", Value::Integer(0))]);
        assert!(err("1 div 0", &e).contains("除数为零"));
        assert!(err("1 mod ${zero}", &e).contains("除数为零"));
        assert!(err("5 div (2 - 2)", &e).contains("除数为零"));
    }

    #[test]
    fn numbers_against_strings() {
        let e = env(&[("cap", Value::Decimal(45.0)), ("txt", t("60"))]);
        assert!(yes("'10' = 10", &e));
        assert!(yes("10 = '10.0'", &e));
        assert!(!yes("'abc' = 0", &e));
        assert!(yes("'abc' != 0", &e));
        assert!(yes("'10' > 9", &e)); // numeric, not lexical ('10' < '9' as strings)
        assert!(!yes("'abc' < 1", &e));
        assert!(!yes("'abc' >= 1", &e));
        assert!(!yes("'b' > 'a'", &e)); // XPath: both NaN
        assert!(yes("'a' = 'a'", &e));
        assert!(!yes("'1.0' = '1'", &e)); // two strings compare as strings
        assert!(yes("${cap} = 45", &e));
        assert!(yes("${cap} = '45'", &e));
        assert!(yes("${txt} > ${cap}", &e));
        assert!(yes("${cap} + ${txt} = 105", &e));
    }

    #[test]
    fn missing_values_read_as_empty_strings() {
        let e = env(&[]);
        assert!(yes("${missing} = ''", &e));
        assert!(!yes("${missing} = 0", &e));
        assert!(yes("${missing} != 'x'", &e));
        assert!(!yes("${missing} >= 0", &e));
        assert!(!yes("${missing} < 0", &e));
        assert!(!yes(". >= 0 and . <= 5000", &e));
        assert!(ev("${missing} + 1", &e).is_empty());
        assert_eq!(ev("string-length(${missing})", &e), ExprValue::Number(0.0));
        assert_eq!(ev("count-selected(${missing})", &e), ExprValue::Number(0.0));
        assert_eq!(
            ev("coalesce(${missing}, 'x')", &e),
            ExprValue::Text("x".into())
        );
        assert_eq!(
            ev("coalesce(${missing}, ${other_missing}, 3)", &e),
            ExprValue::Number(3.0)
        );
        assert!(ev("date(${missing})", &e).is_empty());
        assert!(!yes("boolean(${missing})", &e));
    }

    #[test]
    fn unknown_fields_names_and_functions_are_errors() {
        let e = env(&[]);
        assert!(err("${nope} = 1", &e).contains("表单没有字段“nope”"));
        assert!(err("filter = 'a'", &e).contains("不认识的名称“filter”"));
        assert!(err("sum(1)", &e).contains("不支持的函数“sum()”"));
        assert!(err("if(1, 2)", &e).contains("应有3个参数，写了2个"));
        assert!(err("coalesce(1)", &e).contains("至少2个"));
    }

    #[test]
    fn syntax_errors_are_reported() {
        for (src, needle) in [
            ("", "为空"),
            ("1 +", "不完整"),
            ("(1 + 2", "缺少“)”"),
            ("'abc", "结束引号"),
            ("${abc", "没有对应"),
            ("${} = 1", "不合规"),
            ("$abc", "“$”后"),
            ("1 ! 2", "“!”后"),
            ("1 # 2", "不认识的字符“#”"),
            ("a ==", "不应出现"),
            (") 1", "不应出现"),
            ("if(1, 2 3)", "缺少“,”或“)”"),
        ] {
            let e = Expr::parse(src).expect_err(src);
            assert!(e.message.contains(needle), "{src}: {}", e.message);
            assert!(e.to_string().contains(&format!("表达式“{src}”有误")));
        }
    }

    #[test]
    fn deep_nesting_is_refused_not_a_stack_overflow() {
        let deep = format!("{}1{}", "(".repeat(10_000), ")".repeat(10_000));
        assert!(Expr::parse(&deep).unwrap_err().message.contains("嵌套超过"));
        let negs = format!("{}1", "-".repeat(10_000));
        assert!(Expr::parse(&negs).is_err());
        let ok = format!("{}1{}", "(".repeat(30), ")".repeat(30));
        assert_eq!(ev(&ok, &env(&[])), ExprValue::Number(1.0));
    }

    #[test]
    fn logic_is_short_circuit_and_not_is_a_function() {
        let e = env(&[]);
        assert!(yes("1 = 1 or 1 div 0", &e));
        assert!(!yes("1 = 2 and 1 div 0", &e));
        assert!(yes("not(1 = 2)", &e));
        assert!(yes("true() and not(false())", &e));
        // `and` binds tighter than `or`
        assert!(yes("1 = 1 or 1 = 2 and 1 = 2", &e));
        assert!(!yes("(1 = 1 or 1 = 2) and 1 = 2", &e));
    }

    #[test]
    fn if_is_lazy() {
        let e = env(&[]);
        assert_eq!(
            ev("if(1 < 2, 'a', 1 div 0)", &e),
            ExprValue::Text("a".into())
        );
        assert!(evaluate("if(1 > 2, 'a', 1 div 0)", &e).is_err());
    }

    #[test]
    fn current_value_is_the_dot() {
        let mut e = env(&[]);
        e.current = Some(Value::Decimal(120.0));
        assert!(yes(". >= 0 and . <= 5000", &e));
        e.current = Some(Value::Decimal(6000.0));
        assert!(!yes(". >= 0 and . <= 5000", &e));
        e.current = Some(t("长江"));
        assert_eq!(ev("string-length()", &e), ExprValue::Number(2.0));
        assert_eq!(ev("string-length(.)", &e), ExprValue::Number(2.0));
    }

    #[test]
    fn selections_and_yes_no() {
        let e = env(&[
            (
                "hazards",
                Value::Choices(vec!["gas".into(), "water".into()]),
            ),
            ("one", Value::Choices(vec!["keep".into()])),
            ("flag", Value::Flag(true)),
            ("off", Value::Flag(false)),
        ]);
        assert!(yes("selected(${hazards}, 'water')", &e));
        assert!(!yes("selected(${hazards}, 'fire')", &e));
        assert!(!yes("selected(${hazards}, 'gas water')", &e));
        assert_eq!(ev("count-selected(${hazards})", &e), ExprValue::Number(2.0));
        assert!(yes("${one} = 'keep'", &e));
        assert!(yes("${flag} = 'yes'", &e));
        assert!(yes("${off} = 'no'", &e));
        assert!(!yes("${off} = 'yes'", &e));
    }

    #[test]
    fn dates_compare_as_dates() {
        let e = env(&[
            ("done", Value::Date("2020-06-01".into())),
            ("bad", Value::Date("2020-13-01".into())),
        ]);
        assert!(yes("${done} < today()", &e));
        assert!(yes("${done} <= '2020-06-30'", &e));
        assert!(yes("${done} = '2020-06-01'", &e));
        assert!(yes("'2020-06-01' < '2020-12-30'", &e));
        assert!(yes("date('2020-06-30') > ${done}", &e));
        assert_eq!(ev("today()", &e).to_text(), "2020-08-01");
        assert_eq!(ev("today() - ${done}", &e), ExprValue::Number(61.0));
        assert_eq!(ev("date(0)", &e).to_text(), "1970-01-01");
        assert_eq!(ev("date(today() + 1)", &e).to_text(), "2020-08-02");
        assert!(!yes("${done} = ''", &e));
        assert!(!yes("${done} < ''", &e));
        assert!(err("date('30/6/2020')", &e).contains("不是日期"));
        // an invalid stored date reads as its text
        assert_eq!(ev("${bad}", &e), ExprValue::Text("2020-13-01".into()));
    }

    #[test]
    fn conversions() {
        let e = env(&[]);
        assert_eq!(ev("number('12.5')", &e), ExprValue::Number(12.5));
        assert!(ev("number('12,5')", &e).is_empty());
        assert!(ev("number('1e3')", &e).is_empty());
        assert_eq!(ev("string(3 div 2)", &e), ExprValue::Text("1.5".into()));
        assert_eq!(ev("string(4 div 2)", &e), ExprValue::Text("2".into()));
        assert_eq!(ev("string(0 * -1)", &e), ExprValue::Text("0".into()));
        assert_eq!(ev("concat('a', 1, true())", &e).to_text(), "a1true");
        assert_eq!(ev("int(-3.7)", &e), ExprValue::Number(-3.0));
        assert!(yes("true() = 'x'", &e));
        assert!(yes("false() = ''", &e));
        assert!(yes("boolean(1) = true()", &e));
    }

    #[test]
    fn choice_filter_reads_the_choice_columns() {
        let mut e = env(&[("ownership", Value::Choices(vec!["state".into()]))]);
        e.choice = Some(("energy", "区能源局", "state"));
        assert!(yes("filter = ${ownership}", &e));
        assert!(yes("name = 'energy' and label = '区能源局'", &e));
        e.choice = Some(("town", "镇安办", "private"));
        assert!(!yes("filter = ${ownership}", &e));
    }

    #[test]
    fn the_coal_forms_own_expressions() {
        let rel = Expr::parse("${group} = 'merge_keep' or ${group} = 'merge_close'").unwrap();
        assert_eq!(
            rel.fields().into_iter().collect::<Vec<_>>(),
            ["group".to_owned()]
        );
        for (g, want) in [
            ("keep", false),
            ("merge_keep", true),
            ("merge_close", true),
            ("close", false),
        ] {
            let e = env(&[("group", Value::Choices(vec![g.into()]))]);
            assert_eq!(rel.eval_bool(&e).unwrap(), want, "{g}");
        }
        let calc = Expr::parse(
            "if(${scale} = 'large' or ${gas_class} = 'outburst', '2020-06-30', '2020-12-30')",
        )
        .unwrap();
        let e = env(&[("scale", t("large")), ("gas_class", t("other"))]);
        assert_eq!(calc.eval(&e).unwrap().to_text(), "2020-06-30");
        let e = env(&[("scale", t("small")), ("gas_class", t("outburst"))]);
        assert_eq!(calc.eval(&e).unwrap().to_text(), "2020-06-30");
        let e = env(&[("scale", t("small")), ("gas_class", t("other"))]);
        assert_eq!(calc.eval(&e).unwrap().to_text(), "2020-12-30");
        let assess = Expr::parse(
            "${in_enhong} = 'yes' and ${same_seam} = 'yes' and ${below_outburst_level} = 'yes'",
        )
        .unwrap();
        let mut e = env(&[
            ("in_enhong", Value::Flag(true)),
            ("same_seam", Value::Flag(true)),
            ("below_outburst_level", Value::Flag(true)),
        ]);
        assert!(assess.eval_bool(&e).unwrap());
        e.fields.insert("same_seam".into(), Value::Flag(false));
        assert!(!assess.eval_bool(&e).unwrap());
    }

    #[test]
    fn hyphenated_names_and_keywords_as_names() {
        let mut e = env(&[]);
        e.choice = Some(("a", "b", "c"));
        // `filter` and `name` are names in operand position; `div`/`mod` operators only after one
        assert!(yes("name = 'a'", &e));
        assert!(Expr::parse("count-selected('a b') div 2").is_ok());
        assert_eq!(
            ev("count-selected('a b') div 2", &e),
            ExprValue::Number(1.0)
        );
    }

    #[test]
    fn a_cached_parse_is_the_parse_and_errors_are_not_kept() {
        let src = "${capacity} >= 0 and ${capacity} < 1000";
        let a = Expr::parse_cached(src).unwrap();
        let b = Expr::parse_cached(src).unwrap();
        assert!(Rc::ptr_eq(&a, &b), "parsed once");
        assert_eq!(*a, Expr::parse(src).unwrap());
        assert!(Expr::parse_cached("1 +").is_err());
        assert!(Expr::parse_cached("1 +").is_err());
        // Bounded: many distinct expressions do not grow the cache past its limit.
        for i in 0..(PARSED_KEPT + 10) {
            Expr::parse_cached(&format!("{i} + 1")).unwrap();
        }
        PARSED.with(|c| assert!(c.borrow().len() <= PARSED_KEPT));
    }
}
