//! Starting a stdio server's process, and making sure it never outlives Confab.
//!
//! - Its environment is a short list of the person's own variables (`PATH`, `HOME`, ...,
//!   as the reference SDKs pass) plus what the server's settings give: never Confab's own
//!   (`CONFAB_API_KEY` and the other `CONFAB_*`), nor other secrets of the environment.
//! - Unix: the child leads its own process group, and stopping it kills the whole group
//!   (a server started through `npx` or a shell script has children of its own).
//! - Windows: the child is in a job object that kills every process in it when its handle
//!   closes, which the OS also does when Confab dies in any way.
//! - Every start is killed when its handle is dropped (`KillOnDrop`).
//! - If Confab itself is killed (SIGKILL, a crash) on Linux or macOS, the server's stdin
//!   closes, and MCP servers exit on that (the protocol's stdio shutdown). A server that
//!   ignores it is left running: Unix has no portable way to tie a child's life to its
//!   parent's without code run between fork and exec, which this crate does not allow.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Stdio;

use process_wrap::tokio::{ChildWrapper, CommandWrap, KillOnDrop};

use crate::secrets::Secret;

/// The person's variables a server inherits (as the MCP reference SDKs choose them).
#[cfg(unix)]
const INHERITED: &[&str] = &[
    "HOME", "LOGNAME", "PATH", "SHELL", "TERM", "USER", "LANG", "LC_ALL", "TMPDIR",
];
#[cfg(windows)]
const INHERITED: &[&str] = &[
    "APPDATA",
    "HOMEDRIVE",
    "HOMEPATH",
    "LOCALAPPDATA",
    "PATH",
    "PROCESSOR_ARCHITECTURE",
    "SYSTEMDRIVE",
    "SYSTEMROOT",
    "TEMP",
    "TMP",
    "USERNAME",
    "USERPROFILE",
    "PROGRAMFILES",
    "PATHEXT",
    "COMSPEC",
];

/// What starting a stdio server needs, secrets read from the keychain.
pub struct StdioLaunch {
    pub command: String,
    pub args: Vec<String>,
    pub cwd: Option<String>,
    pub plain_env: BTreeMap<String, String>,
    pub secret_env: BTreeMap<String, Secret>,
}

impl std::fmt::Debug for StdioLaunch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StdioLaunch")
            .field("command", &self.command)
            .field("args", &self.args.len())
            .field("env", &self.plain_env.keys().chain(self.secret_env.keys()))
            .finish()
    }
}

/// The environment a server gets: the inherited variables, then its own.
pub fn environment(launch: &StdioLaunch) -> BTreeMap<String, String> {
    let mut env = BTreeMap::new();
    for (name, value) in std::env::vars_os() {
        let (Some(name), Some(value)) = (name.to_str(), value.to_str()) else {
            continue;
        };
        let inherited = INHERITED
            .iter()
            .any(|known| known.eq_ignore_ascii_case(name));
        // A shell function exported in the environment (`() { ...`) is not a value.
        if inherited && !name.starts_with("CONFAB_") && !value.starts_with("()") {
            env.insert(name.to_string(), value.to_string());
        }
    }
    for (name, value) in &launch.plain_env {
        env.insert(name.clone(), value.clone());
    }
    for (name, value) in &launch.secret_env {
        env.insert(name.clone(), value.expose().to_string());
    }
    env
}

/// Spawns the server with piped stdio, in its own process group (Unix) or job object
/// (Windows), killed when the returned child is dropped.
pub fn spawn(launch: &StdioLaunch) -> std::io::Result<Box<dyn ChildWrapper>> {
    let env = environment(launch);
    let mut command =
        tokio::process::Command::new(program(&launch.command, &env, launch.cwd.as_deref()));
    command
        .args(&launch.args)
        .env_clear()
        .envs(env)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    if let Some(cwd) = &launch.cwd {
        command.current_dir(cwd);
    }
    let mut wrap = CommandWrap::from(command);
    #[cfg(unix)]
    wrap.wrap(process_wrap::tokio::ProcessGroup::leader());
    #[cfg(windows)]
    wrap.wrap(process_wrap::tokio::JobObject);
    wrap.wrap(KillOnDrop);
    wrap.spawn()
}

/// The program to run: `command` as found on the server's own `PATH` (on Windows, with
/// `PATHEXT`: `npx` is `npx.cmd`, as configurations copied from other apps name it), else
/// as given (a path, or a name the OS then fails to find, which the status shows).
pub fn program(command: &str, env: &BTreeMap<String, String>, cwd: Option<&str>) -> PathBuf {
    let path = env
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("PATH"))
        .map(|(_, value)| value.as_str());
    let cwd = cwd
        .map(PathBuf::from)
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_default();
    which::which_in(command, path, cwd).unwrap_or_else(|_| PathBuf::from(command))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confab_variables_and_other_secrets_stay_out() {
        let launch = StdioLaunch {
            command: "x".into(),
            args: Vec::new(),
            cwd: None,
            plain_env: BTreeMap::from([("REGION".to_string(), "eu".to_string())]),
            secret_env: BTreeMap::from([("TOKEN".to_string(), Secret::new("tok-123456"))]),
        };
        let env = environment(&launch);
        assert!(env.keys().all(|name| !name.starts_with("CONFAB_")));
        assert_eq!(env["REGION"], "eu");
        assert_eq!(env["TOKEN"], "tok-123456");
        assert!(env.contains_key("PATH"));
        assert!(format!("{launch:?}").contains("TOKEN") && !format!("{launch:?}").contains("tok-"));
    }

    #[test]
    fn a_command_is_found_on_the_servers_own_path() {
        let launch = StdioLaunch {
            command: "node".into(),
            args: Vec::new(),
            cwd: None,
            plain_env: BTreeMap::new(),
            secret_env: BTreeMap::new(),
        };
        let env = environment(&launch);
        let found = program("node", &env, None);
        assert!(found.is_absolute() && found.exists(), "{}", found.display());
        let unknown = program("no-such-program-here", &env, None);
        assert_eq!(unknown, PathBuf::from("no-such-program-here"));
        let empty_path = BTreeMap::from([("PATH".to_string(), String::new())]);
        assert_eq!(program("node", &empty_path, None), PathBuf::from("node"));
    }
}
