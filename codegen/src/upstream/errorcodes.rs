//! Tencent's `errorcodes.py`: every error code of a service version.

use std::path::Path;

use super::*;
use crate::spec::{SpecError, UniqueMap};

/// Error codes parsed from `errorcodes.py`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ErrorCodes {
    /// Code → description, in file order; the description is empty when
    /// Tencent gives none (an empty or missing comment).
    pub codes: UniqueMap<String>,
    /// Oddities that did not stop parsing (a code defined twice).
    pub warnings: Vec<String>,
}

/// Whether `s` is an API error code: dotted segments of letters, digits and `_`.
fn is_code(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.split('.').all(|seg| {
            !seg.is_empty() && seg.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

/// Parses `errorcodes.py` (read from `file`, for error messages): each
/// `NAME = 'Code'` line, described by the comment lines right above it.
///
/// Comments separated from an assignment by a blank line (the licence header)
/// describe nothing. Any other line is an error naming the file and line.
pub fn parse_error_codes(file: &Path, text: &str) -> Result<ErrorCodes, SpecError> {
    let err = |line: usize, message: String| SpecError {
        file: file.to_owned(),
        path: format!("line {line}"),
        message,
    };
    let mut out = ErrorCodes::default();
    let mut comment: Vec<String> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim_end_matches('\r').trim();
        let n = i + 1;
        if line.is_empty() {
            comment.clear();
            continue;
        }
        if let Some(c) = line.strip_prefix('#') {
            let c = c.trim();
            if !c.is_empty() {
                comment.push(c.to_owned());
            }
            continue;
        }
        let Some((name, value)) = line.split_once('=') else {
            return Err(err(
                n,
                format!("expected `NAME = 'Code'` or a comment, found `{line}`"),
            ));
        };
        let name = name.trim();
        let value = value.trim();
        if name.is_empty()
            || !name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            return Err(err(
                n,
                format!("`{name}` is not a Python name (expected `NAME = 'Code'`)"),
            ));
        }
        let quoted = |q: char| value.strip_prefix(q).and_then(|v| v.strip_suffix(q));
        let Some(code) = quoted('\'').or_else(|| quoted('"')) else {
            return Err(err(
                n,
                format!("the value of `{name}` is not a quoted string: `{value}`"),
            ));
        };
        // Tencent publishes a few codes with an empty last segment
        // (`InvalidParameter.`, a generator artifact no service answers
        // with): skipped, with a warning naming the line.
        if code.ends_with('.') && is_code(code.trim_end_matches('.')) {
            out.warnings.push(format!(
                "{}: line {n}: `{code}` has an empty last segment; skipped",
                file.display()
            ));
            comment.clear();
            continue;
        }
        if !is_code(code) {
            return Err(err(
                n,
                format!("`{code}` is not an error code (dotted segments of letters, digits, `_`)"),
            ));
        }
        let description = comment.join(" ");
        comment.clear();
        match out.codes.get_mut(code) {
            None => out.codes.insert(code, description),
            Some(existing) => {
                if existing.is_empty() {
                    *existing = description;
                } else if !description.is_empty() && *existing != description {
                    out.warnings.push(format!(
                        "{}: line {n}: `{code}` is defined again with another description \
                         ({description:?}); keeping the first ({existing:?})",
                        file.display()
                    ));
                }
            }
        }
    }
    Ok(out)
}

/// Reads and parses an `errorcodes.py` file.
pub fn read_error_codes(file: &Path) -> Result<ErrorCodes, UpstreamError> {
    let text = std::fs::read_to_string(file).map_err(|e| UpstreamError::io(file, "read", e))?;
    parse_error_codes(file, &text).map_err(UpstreamError::Malformed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_codes_keep_order_and_handle_missing_descriptions() {
        let text = "# -*- coding: utf8 -*-\n# Copyright\n\n\n\
            # CAM signature/authentication error.\nAUTHFAILURE = 'AuthFailure'\n\n\
            #\nFAILEDOPERATION_X = 'FailedOperation.X'\n\n\
            A_B = \"A.B\"\n\n\
            # Two lines\n# of comment.\nC = 'C'\r\n\n\
            # Again.\nC2 = 'C'\n";
        let codes = parse_error_codes(Path::new("e.py"), text).unwrap();
        let got: Vec<(&str, &str)> = codes.codes.iter().map(|(k, v)| (k, v.as_str())).collect();
        assert_eq!(
            got,
            [
                ("AuthFailure", "CAM signature/authentication error."),
                ("FailedOperation.X", ""),
                ("A.B", ""),
                ("C", "Two lines of comment."),
            ]
        );
        assert_eq!(codes.warnings.len(), 1, "{:?}", codes.warnings);
        assert!(codes.warnings[0].contains("line 18: `C` is defined again"));
    }

    #[test]
    fn odd_error_code_files_are_errors_with_lines() {
        for (text, want) in [
            (
                "import os\n",
                "e.py: line 1: expected `NAME = 'Code'` or a comment, found `import os`",
            ),
            (
                "X = Y\n",
                "e.py: line 1: the value of `X` is not a quoted string: `Y`",
            ),
            (
                "# c\nX = 'Bad Code'\n",
                "e.py: line 2: `Bad Code` is not an error code",
            ),
            ("1X = 'A'\n", "e.py: line 1: `1X` is not a Python name"),
            (
                "X = 'A\n",
                "e.py: line 1: the value of `X` is not a quoted string",
            ),
            ("X = ''\n", "e.py: line 1: `` is not an error code"),
            ("X = '.'\n", "e.py: line 1: `.` is not an error code"),
        ] {
            let e = parse_error_codes(Path::new("e.py"), text).unwrap_err();
            assert!(e.to_string().starts_with(want), "{text:?}: {e}");
        }
        assert!(parse_error_codes(Path::new("e.py"), "")
            .unwrap()
            .codes
            .is_empty());
        // An empty last segment (as Tencent publishes `InvalidParameter.`):
        // skipped with a warning naming the line.
        let codes = parse_error_codes(
            Path::new("e.py"),
            "# Parameter error.\nINVALIDPARAMETER_ = 'InvalidParameter.'\nA = 'A.B'\n",
        )
        .unwrap();
        assert_eq!(codes.codes.len(), 1);
        assert!(codes.codes.contains_key("A.B"));
        assert_eq!(
            codes.warnings,
            ["e.py: line 2: `InvalidParameter.` has an empty last segment; skipped"]
        );
    }
}
