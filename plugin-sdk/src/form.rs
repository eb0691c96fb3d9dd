//! Builders for XLSForm-style fields.

use crate::{Choice, Field, FieldKind};

impl Field {
    /// A field of `kind` with everything else empty.
    pub fn new(name: &str, kind: FieldKind, label: &str) -> Field {
        Field {
            name: name.to_owned(),
            kind,
            label: label.to_owned(),
            hint: None,
            required: false,
            constraint: None,
            constraint_message: None,
            relevant: None,
            default: None,
            read_only: false,
            calculation: None,
            choices: Vec::new(),
            choice_filter: None,
            unit: None,
        }
    }
    pub fn required(mut self) -> Field {
        self.required = true;
        self
    }
    pub fn read_only(mut self) -> Field {
        self.read_only = true;
        self
    }
    pub fn hint(mut self, hint: &str) -> Field {
        self.hint = Some(hint.to_owned());
        self
    }
    pub fn unit(mut self, unit: &str) -> Field {
        self.unit = Some(unit.to_owned());
        self
    }
    pub fn constraint(mut self, expr: &str, message: &str) -> Field {
        self.constraint = Some(expr.to_owned());
        self.constraint_message = Some(message.to_owned());
        self
    }
    pub fn relevant(mut self, expr: &str) -> Field {
        self.relevant = Some(expr.to_owned());
        self
    }
    pub fn default_value(mut self, v: &str) -> Field {
        self.default = Some(v.to_owned());
        self
    }
    pub fn calculation(mut self, expr: &str) -> Field {
        self.calculation = Some(expr.to_owned());
        self
    }
    /// Choices as `(name, label)` pairs.
    pub fn choices(mut self, choices: &[(&str, &str)]) -> Field {
        self.choices = choices
            .iter()
            .map(|(n, l)| Choice {
                name: (*n).to_owned(),
                label: (*l).to_owned(),
                filter: None,
            })
            .collect();
        self
    }
    /// Choices as `(name, label, filter)` triples: `filter` is the value the field's
    /// [`Field::choice_filter`] reads as `filter`.
    pub fn filtered_choices(mut self, choices: &[(&str, &str, &str)]) -> Field {
        self.choices = choices
            .iter()
            .map(|(n, l, f)| Choice {
                name: (*n).to_owned(),
                label: (*l).to_owned(),
                filter: Some((*f).to_owned()),
            })
            .collect();
        self
    }
    /// XLSForm `choice_filter`: the choices offered are those for which `expr` is true,
    /// with `filter`, `name` and `label` naming the choice's values ("filter = ${ownership}").
    pub fn choice_filter(mut self, expr: &str) -> Field {
        self.choice_filter = Some(expr.to_owned());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_sets_fields() {
        let f = Field::new("capacity", FieldKind::Decimal, "核定产能")
            .required()
            .unit("万吨/年")
            .constraint(". >= 0", "产能不能为负数");
        assert!(f.required);
        assert_eq!(f.unit.as_deref(), Some("万吨/年"));
        assert_eq!(f.constraint_message.as_deref(), Some("产能不能为负数"));
    }

    #[test]
    fn filtered_choices_and_choice_filter() {
        let f = Field::new("office", FieldKind::SelectOne, "监管部门")
            .filtered_choices(&[
                ("energy", "区能源局", "state"),
                ("town", "镇安办", "private"),
            ])
            .choice_filter("filter = ${ownership}");
        assert_eq!(f.choices[1].filter.as_deref(), Some("private"));
        assert_eq!(f.choice_filter.as_deref(), Some("filter = ${ownership}"));
        let plain = Field::new("x", FieldKind::SelectOne, "x").choices(&[("a", "A")]);
        assert_eq!(plain.choices[0].filter, None);
        assert_eq!(plain.choice_filter, None);
    }
}
