//! Where the checker reads a verification code when the endpoint sends no
//! real SMS: a development code source. Without one, the checker never sends
//! a well-formed phone number, so no citizen's phone can get a text.
//!
//! Either a command (`--code-command`), run with the verification id as `$1`
//! that prints the code, or a log file (`--code-log`) with lines such as the
//! reference collector's `--dev-sms` writes:
//!
//! ```text
//! WARN collector::sms: DEVELOPMENT SMS (no message was sent): verification 3b24…a962 code 482913
//! ```
//!
//! In both, the code is the last word of digits: in a command's output, or
//! after the verification id on the last line of the log that names it.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How often the source is asked again while the code has not come.
const POLL: Duration = Duration::from_millis(250);

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CodeSource {
    /// Run through `sh -c`, with the verification id as `$1` and in
    /// `VERIFICATION_ID`; never spliced into the command text, since the
    /// endpoint chose it.
    Command(String),
    /// A log the endpoint writes its development codes to.
    Log(PathBuf),
}

impl CodeSource {
    /// `--code-command …` or `--code-log …`, for the report.
    pub fn describe(&self) -> String {
        match self {
            Self::Command(command) => format!("--code-command {command:?}"),
            Self::Log(path) => format!("--code-log {}", path.display()),
        }
    }

    /// The code of `verification_id`, asked for until it comes or `wait`
    /// has passed.
    pub fn code_for(&self, verification_id: &str, wait: Duration) -> Result<String, String> {
        let deadline = Instant::now() + wait;
        loop {
            let last_problem = match self.try_once(verification_id) {
                Ok(Some(code)) => return Ok(code),
                Ok(None) => None,
                Err(problem) => Some(problem),
            };
            if Instant::now() >= deadline {
                let mut message = format!(
                    "{} gave no code for verification {verification_id} within {} s",
                    self.describe(),
                    wait.as_secs()
                );
                if let Some(problem) = last_problem {
                    message.push_str(&format!(" ({problem})"));
                }
                return Err(message);
            }
            std::thread::sleep(POLL);
        }
    }

    fn try_once(&self, verification_id: &str) -> Result<Option<String>, String> {
        match self {
            Self::Command(command) => {
                let output = Command::new("sh")
                    .arg("-c")
                    .arg(command)
                    .arg("conformance-code")
                    .arg(verification_id)
                    .env("VERIFICATION_ID", verification_id)
                    .stdin(Stdio::null())
                    .output()
                    .map_err(|e| format!("cannot run sh: {e}"))?;
                let code = last_digits(&String::from_utf8_lossy(&output.stdout));
                if code.is_none() && !output.status.success() {
                    let stderr = String::from_utf8_lossy(&output.stderr);
                    return Err(format!("the command exited with {}: {}", output.status, stderr.trim()));
                }
                Ok(code)
            }
            Self::Log(path) => {
                let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                let text = String::from_utf8_lossy(&bytes);
                Ok(text
                    .lines()
                    .rev()
                    .find_map(|line| line.find(verification_id).map(|at| &line[at + verification_id.len()..]))
                    .and_then(last_digits))
            }
        }
    }
}

/// The last whitespace-separated word of 4 to 8 digits: `482913`.
fn last_digits(text: &str) -> Option<String> {
    text.split_whitespace()
        .rev()
        .find(|word| (4..=8).contains(&word.len()) && word.bytes().all(|b| b.is_ascii_digit()))
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "3b241101-e2bb-4255-8caf-4136c566a962";

    #[test]
    fn the_code_is_read_from_the_reference_collectors_log_line_for_that_verification() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("collector.log");
        std::fs::write(
            &log,
            format!(
                "2026-11-29T02:00:00Z  WARN collector::sms: DEVELOPMENT SMS (no message was sent): verification {ID} code 482913\n\
                 2026-11-29T02:00:01Z  WARN collector::sms: DEVELOPMENT SMS (no message was sent): verification 0f8fad5b-d9cb-469f-a165-70867728950e code 111111\n\
                 2026-11-29T02:00:02Z  INFO collector::request_log: POST /api/v1/verifications 201 2 ms\n"
            ),
        )
        .unwrap();
        let source = CodeSource::Log(log);
        assert_eq!(source.code_for(ID, Duration::ZERO), Ok("482913".to_owned()));
        let missing = source.code_for("7c9e6679-7425-40de-944b-e07fc1f90ae7", Duration::ZERO).unwrap_err();
        assert!(missing.contains("gave no code for verification 7c9e6679"), "{missing}");
    }

    #[test]
    fn a_command_gets_the_verification_id_as_an_argument_never_in_its_text() {
        let source = CodeSource::Command(r#"test "$1" = "$VERIFICATION_ID" && echo "code for $1: 654321""#.to_owned());
        assert_eq!(source.code_for("a'; exit 1; '", Duration::ZERO), Ok("654321".to_owned()));
    }

    #[test]
    fn a_failing_command_says_why() {
        let source = CodeSource::Command("echo no such verification >&2; exit 3".to_owned());
        let error = source.code_for(ID, Duration::ZERO).unwrap_err();
        assert!(error.contains("exit status: 3") && error.contains("no such verification"), "{error}");
    }

    #[test]
    fn the_last_word_of_digits_is_the_code() {
        assert_eq!(last_digits("482913\n").as_deref(), Some("482913"));
        assert_eq!(last_digits(" code 482913 (valid 5 minutes)").as_deref(), Some("482913"));
        assert_eq!(last_digits("no code yet"), None);
        assert_eq!(last_digits("12 123456789"), None);
    }
}
