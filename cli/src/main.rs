use std::io::Write;

use clap::Parser;
use pob_cli::app::{execute, Cli};
use pob_cli::output::OutputFormat;

fn main() {
    // The embedded bank logs every instruction at debug level unless told otherwise.
    if std::env::var_os("RUST_LOG").is_none() {
        std::env::set_var("RUST_LOG", "error");
    }
    let cli = Cli::parse();
    let format = cli.global.output;
    let mut out = command_output();
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    match runtime.block_on(execute(cli)) {
        Ok(text) => {
            let _ = out.write_all(text.as_bytes());
        }
        Err(err) => {
            // Scripts read one JSON object from stdout, failures included; people read stderr.
            let error = pob_cli::output::error_json(&err);
            match format {
                OutputFormat::Json => {
                    let _ = writeln!(out, "{error:#}");
                }
                OutputFormat::JsonCompact => {
                    let _ = writeln!(out, "{error}");
                }
                OutputFormat::Display => {}
            }
            eprintln!("error: {err:#}");
            std::process::exit(1);
        }
    }
}

/// Where the command's result goes. On the embedded ledger the program runs in this process,
/// and its `msg!` logs (errors included) print to stdout on a host build; they would corrupt
/// `--output json`. So stdout (fd 1) is pointed at /dev/null and the result is written to a
/// copy of the original stdout.
#[cfg(unix)]
fn command_output() -> Box<dyn Write> {
    use std::os::fd::{AsRawFd, FromRawFd};
    let Ok(null) = std::fs::OpenOptions::new().write(true).open("/dev/null") else {
        return Box::new(std::io::stdout());
    };
    // SAFETY: plain fd duplication before any other thread exists; the new fd is owned by the
    // returned File alone.
    unsafe {
        let original = libc::dup(1);
        if original < 0 || libc::dup2(null.as_raw_fd(), 1) < 0 {
            return Box::new(std::io::stdout());
        }
        Box::new(std::fs::File::from_raw_fd(original))
    }
}

#[cfg(not(unix))]
fn command_output() -> Box<dyn Write> {
    Box::new(std::io::stdout())
}
