//! Tools in a reply: the functions offered to the model (its agent's MCP tools), and the
//! steps of the loop, in which the model's calls are approved, run and answered until it
//! writes its answer (`step.rs`).
//!
//! The engine knows tools only through [`ToolHost`]: what the MCP servers offer and a way
//! to run one. Everything a host returns is bounded by the host; every failure of a tool
//! (its server gone, a timeout, a cancel, the tool's own error) comes back as an output the
//! model reads, never as an error of the reply.

mod names;
mod step;

use std::collections::HashMap;
use std::sync::Arc;

use futures::future::BoxFuture;
use tokio::sync::mpsc::UnboundedSender;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::reply::{End, Progress, Reply};
use crate::error::Result;
use crate::llm::{CallAssembler, ToolSpec};
use crate::store::entities::conversation;
use crate::vocab::AgentTools;

/// A tool a host offers.
#[derive(Debug, Clone, PartialEq)]
pub struct HostTool {
    pub server_id: String,
    pub server_name: String,
    /// The tool's own name on its server.
    pub name: String,
    pub description: String,
    /// A JSON Schema object for its arguments.
    pub input_schema: serde_json::Map<String, serde_json::Value>,
}

/// What running a tool gave.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ToolOutput {
    /// Text for the model, already bounded by the host.
    pub text: String,
    /// Images the tool returned: type and bytes.
    pub images: Vec<(String, Vec<u8>)>,
    pub is_error: bool,
}

/// How far a running tool has come, as its server reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct ToolProgress {
    pub progress: f64,
    pub total: Option<f64>,
    pub message: Option<String>,
}

/// One call for a host to run.
#[derive(Debug, Clone)]
pub struct HostCall {
    pub server_id: String,
    pub tool: String,
    pub arguments: serde_json::Map<String, serde_json::Value>,
}

/// Where tools come from: the MCP servers (`crate::mcp`), seen by the engine only as this.
pub trait ToolHost: Send + Sync + 'static {
    /// The tools of these servers; one that cannot start is left out.
    fn tools<'a>(&'a self, server_ids: &'a [String]) -> BoxFuture<'a, Vec<HostTool>>;

    /// Runs one call within the time its server allows; never fails (a failure is an
    /// output with `is_error`), stops when `cancel` fires.
    fn call(
        &self,
        call: HostCall,
        cancel: CancellationToken,
        progress: UnboundedSender<ToolProgress>,
    ) -> BoxFuture<'_, ToolOutput>;
}

/// The tools offered in one reply.
pub(super) struct Toolbox {
    pub host: Arc<dyn ToolHost>,
    pub specs: Vec<ToolSpec>,
    /// The tool behind each name the model sees.
    pub by_name: HashMap<String, HostTool>,
    /// The agent whose tools these are (where "always allow" is written).
    pub agent_id: Option<String>,
    pub settings: AgentTools,
    /// Tools "always allowed" during this reply (the stored list is read at its start).
    pub allowed_now: std::sync::Mutex<std::collections::HashSet<String>>,
    /// Steps of the loop a reply may take.
    pub max_steps: u32,
}

/// The tools a reply in `conversation` may use: its agent's, unless the conversation turned
/// them off; `None` when there are none (or no host).
pub(super) async fn toolbox(
    host: Option<Arc<dyn ToolHost>>,
    db: &impl sea_orm::ConnectionTrait,
    conversation: &conversation::Model,
    max_steps: u32,
) -> Result<Option<Toolbox>> {
    let (Some(host), Some(agent_id), true) = (
        host,
        conversation.agent_id.as_deref(),
        conversation.tools_enabled,
    ) else {
        return Ok(None);
    };
    let Ok(agent) = crate::agents::get(db, agent_id).await else {
        return Ok(None);
    };
    let settings = agent.tools;
    if settings.servers.is_empty() || max_steps == 0 {
        return Ok(None);
    }
    let tools: Vec<HostTool> = host
        .tools(&settings.servers)
        .await
        .into_iter()
        .filter(|tool| settings.offers(&tool.server_id, &tool.name))
        .collect();
    if tools.is_empty() {
        return Ok(None);
    }
    let names = names::function_names(&tools);
    let specs = tools
        .iter()
        .zip(&names)
        .map(|(tool, name)| ToolSpec {
            name: name.clone(),
            description: tool.description.clone(),
            parameters: names::parameters(&tool.input_schema),
        })
        .collect();
    Ok(Some(Toolbox {
        host,
        specs,
        by_name: names.into_iter().zip(tools).collect(),
        agent_id: Some(agent.id),
        settings,
        allowed_now: std::sync::Mutex::default(),
        max_steps,
    }))
}

impl Toolbox {
    /// Whether `tool` runs without asking: always allowed for the agent, or since a person
    /// said so in this reply.
    pub fn runs_unasked(&self, tool: &HostTool) -> bool {
        self.settings.always_allows(&tool.server_id, &tool.name)
            || super::engine::lock(&self.allowed_now)
                .contains(&AgentTools::key(&tool.server_id, &tool.name))
    }
}

impl Reply {
    /// The functions offered to the model.
    pub(in crate::chat) fn offered(&self) -> &[ToolSpec] {
        self.toolbox.as_ref().map_or(&[], |toolbox| &toolbox.specs)
    }

    /// The reply: requests until the model answers without calling a tool, each step's
    /// calls run in between (at most `max_steps` steps; the calls of one more turn are
    /// answered that they were not run, and a turn after that ends the reply).
    pub(in crate::chat) async fn converse(&self, progress: &mut Progress, started: Instant) -> End {
        let Some(toolbox) = &self.toolbox else {
            let end = self.produce(&self.request, &[], progress, started).await;
            progress.calls = CallAssembler::default();
            return end;
        };
        let mut request = self.request.clone();
        let mut steps = 0;
        loop {
            let end = self
                .produce(&request, &toolbox.specs, progress, started)
                .await;
            let calls = std::mem::take(&mut progress.calls);
            if !matches!(end, End::Finished) || calls.is_empty() || steps > toolbox.max_steps {
                return end;
            }
            if calls.dropped > 0 {
                tracing::warn!(
                    dropped = calls.dropped,
                    "a turn made more tool calls than are run"
                );
            }
            let run = steps < toolbox.max_steps;
            steps += 1;
            match self.tool_step(toolbox, calls.finish(), progress, run).await {
                Ok(more) => request.extend(more),
                Err(end) => return end,
            }
            progress.meta.finish_reason = None;
            progress.completion_before = progress.meta.completion_tokens.unwrap_or_default();
            progress.prompt_before = (
                progress.meta.prompt_tokens.unwrap_or_default(),
                progress.meta.cached_tokens.unwrap_or_default(),
            );
        }
    }
}
