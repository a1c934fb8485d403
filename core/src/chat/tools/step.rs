//! One step of the tool loop: the calls the model made in one turn, each approved (or
//! not), run side by side, and answered; the answers go back to the model in the next
//! request.
//!
//! A call the model got wrong (no such tool, arguments that are not a JSON object, cut
//! arguments) is answered with an error it can read and correct, and so is a call the
//! person denied or a call past the step limit. Cancelling the reply stops the calls
//! running and the approvals awaited; every call still gets its answer in the stored
//! reply, so it stays a consistent exchange.

use futures::future::join_all;
use serde_json::{Map, Value};
use tokio::sync::mpsc;
use tokio::time::Instant;

use super::{HostCall, HostTool, Toolbox};
use crate::chat::reply::{End, Progress, Reply, elapsed_ms};
use crate::chat::{ChatEvent, ToolStatus};
use crate::llm::{Attached, ChatMessage, ToolCall};
use crate::vocab::{AgentTools, Part, Role, ToolDecision};

/// What a call that did not finish says, in the words the model reads.
const CANCELLED: &str = "The user stopped this tool call before it finished.";
const DENIED: &str = "The user declined to run this tool call.";

/// Most images of one step that go back to the model.
const MAX_STEP_IMAGES: usize = 8;

/// A call's answer.
struct Answer {
    text: String,
    is_error: bool,
    duration_ms: u32,
    /// The images it returned, stored (scaled, without metadata) as attachments are.
    images: Vec<Part>,
}

impl Answer {
    fn error(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            is_error: true,
            duration_ms: 0,
            images: Vec::new(),
        }
    }
}

impl Reply {
    /// Runs the calls of one turn (or, with `run` false, past the step limit, answers each
    /// that it was not run). Ends the text so far as a finished segment; returns the
    /// messages the next request adds, or how the reply ended when it was cancelled.
    pub(in crate::chat) async fn tool_step(
        &self,
        toolbox: &Toolbox,
        calls: Vec<ToolCall>,
        progress: &mut Progress,
        run: bool,
    ) -> Result<Vec<ChatMessage>, End> {
        let text = self.end_segment(progress);
        // Every call is stored before every answer, as the next request sends them; the
        // calls are on disk before any runs, so a crash meanwhile recovers them (answered
        // that they were interrupted).
        for call in &calls {
            progress
                .steps
                .push(call_part(call, toolbox.by_name.get(&call.name)));
        }
        if let Err(error) = self.checkpoint(progress, true).await {
            tracing::warn!(%error, "checkpoint before a tool step failed");
        }
        let answers = join_all(
            calls
                .iter()
                .map(|call| self.answer_call(toolbox, call, run)),
        )
        .await;
        let mut request = Vec::with_capacity(calls.len() + 1);
        for (call, answer) in calls.iter().zip(&answers) {
            progress.steps.push(Part::ToolResult {
                call_id: call.id.clone(),
                content: answer.text.clone(),
                is_error: answer.is_error,
                duration_ms: Some(answer.duration_ms),
            });
            request.push(ChatMessage::tool_result(&call.id, &answer.text));
        }
        request.insert(0, ChatMessage::calls(text, calls));
        let images: Vec<Part> = answers
            .into_iter()
            .flat_map(|answer| answer.images)
            .take(MAX_STEP_IMAGES)
            .collect();
        if !images.is_empty() {
            // A tool message carries text only: the images follow as the person's, for a
            // model that sees them (else the results' text says they were left out).
            if let Some(message) = self.images_message(&images).await {
                request.push(message);
            }
            progress.steps.extend(images);
        }
        if let Err(error) = self.checkpoint(progress, true).await {
            tracing::warn!(%error, "checkpoint after a tool step failed");
        }
        if self.live.cancel.is_cancelled() {
            return Err(self.cancelled());
        }
        Ok(request)
    }

    /// Moves the text and reasoning so far into the finished steps; returns the text.
    fn end_segment(&self, progress: &mut Progress) -> String {
        self.flush(progress);
        let text = std::mem::take(&mut progress.text);
        let reasoning = std::mem::take(&mut progress.reasoning);
        progress.prefix_len = 0;
        let mut parts = Vec::with_capacity(2);
        if !reasoning.is_empty() {
            parts.push(Part::Reasoning {
                text: reasoning,
                duration_ms: None,
            });
        }
        if !text.is_empty() {
            parts.push(Part::text(text.clone()));
        }
        progress.steps.extend(parts.iter().cloned());
        self.live.end_segment(parts);
        text
    }

    /// One call, from its announcement to its answer.
    async fn answer_call(&self, toolbox: &Toolbox, call: &ToolCall, run: bool) -> Answer {
        let tool = toolbox.by_name.get(&call.name);
        let announce = |status| ChatEvent::ToolCall {
            call_id: call.id.clone(),
            name: call.name.clone(),
            server: tool.map(|tool| tool.server_name.clone()),
            arguments: call.arguments.clone(),
            status,
        };
        let checked = match tool {
            _ if !run => Err(format!(
                "Not run: this reply reached its limit of {} tool steps. Answer with what you have.",
                toolbox.max_steps
            )),
            None => Err(unknown_tool(&call.name, toolbox)),
            Some(tool) => arguments(call).map(|arguments| (tool, arguments)),
        };
        let (tool, arguments) = match checked {
            Ok(found) => found,
            Err(why) => {
                let part = call_part(call, tool);
                self.live
                    .push_step(Some(part), announce(ToolStatus::Refused));
                return self.announce_answer(call, Answer::error(why));
            }
        };
        let part = call_part(call, Some(tool));
        if !toolbox.runs_unasked(tool) {
            let asked = self.live.ask(&call.id);
            self.live
                .push_step(Some(part), announce(ToolStatus::AwaitingApproval));
            let decision = tokio::select! {
                () = self.live.cancel.cancelled() => {
                    self.live.answer(&call.id, ToolDecision::Deny);
                    return self.announce_answer(call, Answer::error(CANCELLED));
                }
                decision = asked => decision.unwrap_or(ToolDecision::Deny),
            };
            match decision {
                ToolDecision::Deny => return self.announce_answer(call, Answer::error(DENIED)),
                ToolDecision::AlwaysAllow => self.allow_always(toolbox, tool).await,
                ToolDecision::Allow => {}
            }
            self.live.push_step(None, announce(ToolStatus::Running));
        } else {
            self.live
                .push_step(Some(part), announce(ToolStatus::Running));
        }
        let answer = self.run_call(toolbox, call, tool, arguments).await;
        self.announce_answer(call, answer)
    }

    /// Runs an approved call, passing on its progress.
    async fn run_call(
        &self,
        toolbox: &Toolbox,
        call: &ToolCall,
        tool: &HostTool,
        arguments: Map<String, Value>,
    ) -> Answer {
        let started = Instant::now();
        let (progress, mut reports) = mpsc::unbounded_channel();
        let running = toolbox.host.call(
            HostCall {
                server_id: tool.server_id.clone(),
                tool: tool.name.clone(),
                arguments,
            },
            self.live.cancel.child_token(),
            progress,
        );
        tokio::pin!(running);
        let output = loop {
            tokio::select! {
                output = &mut running => break output,
                Some(report) = reports.recv() => self.live.emit(ChatEvent::ToolProgress {
                    call_id: call.id.clone(),
                    progress: report.progress,
                    total: report.total,
                    message: report.message,
                }),
            }
        };
        let duration_ms = elapsed_ms(started);
        if self.live.cancel.is_cancelled() {
            return Answer {
                duration_ms,
                ..Answer::error(CANCELLED)
            };
        }
        let mut text = output.text;
        let mut images = Vec::new();
        for (n, (mime, bytes)) in output.images.into_iter().enumerate() {
            let size = bytes.len();
            let name = format!(
                "{}-{}.{}",
                tool.name,
                n + 1,
                mime.rsplit('/').next().unwrap_or("img")
            );
            let note = match crate::attachments::attach(self.engine.db.conn(), &name, bytes).await {
                Ok(part @ Part::Image { .. }) => {
                    images.push(part);
                    format!("[The tool returned an image ({mime}, {size} bytes): {name}.]")
                }
                Ok(_) | Err(_) => {
                    format!("[The tool returned an image ({mime}) that could not be read.]")
                }
            };
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(&note);
        }
        Answer {
            text,
            is_error: output.is_error,
            duration_ms,
            images,
        }
    }

    /// The images of a step as a message for the model, when it sees images.
    async fn images_message(&self, images: &[Part]) -> Option<ChatMessage> {
        let (db, model) = (self.engine.db.conn(), &self.client.endpoint().model);
        let sees = crate::providers::vision::can_see_images(db, self.client.provider_id(), model)
            .await
            .unwrap_or(false);
        if !sees {
            return None;
        }
        let mut attachments = Vec::with_capacity(images.len());
        for part in images {
            if let Part::Image { sha256, .. } = part
                && let Ok(blob) = crate::store::blobs::get(db, sha256).await
            {
                attachments.push(Attached::Image {
                    mime: blob.mime,
                    data: blob.data.into(),
                });
            }
        }
        Some(ChatMessage {
            attachments,
            ..ChatMessage::text(Role::User, "The images the tools returned:")
        })
    }

    fn announce_answer(&self, call: &ToolCall, answer: Answer) -> Answer {
        let event = ChatEvent::ToolResult {
            call_id: call.id.clone(),
            content: answer.text.clone(),
            is_error: answer.is_error,
            duration_ms: answer.duration_ms,
        };
        let part = Part::ToolResult {
            call_id: call.id.clone(),
            content: answer.text.clone(),
            is_error: answer.is_error,
            duration_ms: Some(answer.duration_ms),
        };
        self.live.push_step(Some(part), event);
        answer
    }

    /// Records that the agent may run `tool` without asking; a failure to write it is
    /// logged (the call itself was allowed).
    async fn allow_always(&self, toolbox: &Toolbox, tool: &HostTool) {
        let key = AgentTools::key(&tool.server_id, &tool.name);
        crate::chat::engine::lock(&toolbox.allowed_now).insert(key.clone());
        let Some(agent_id) = &toolbox.agent_id else {
            return;
        };
        if let Err(error) = crate::agents::allow_tool(self.engine.db.conn(), agent_id, &key).await {
            tracing::warn!(%error, "could not remember an always-allowed tool");
        }
    }
}

/// The stored part of a call.
fn call_part(call: &ToolCall, tool: Option<&HostTool>) -> Part {
    Part::ToolCall {
        call_id: call.id.clone(),
        name: call.name.clone(),
        arguments: call.arguments.clone(),
        server: tool.map(|tool| tool.server_name.clone()),
    }
}

/// A call's arguments as a JSON object (nothing at all reads as no arguments), or what the
/// model should be told about them.
fn arguments(call: &ToolCall) -> Result<Map<String, Value>, String> {
    if call.cut {
        return Err("The arguments were too long and were cut; send shorter ones.".into());
    }
    if call.arguments.trim().is_empty() {
        return Ok(Map::new());
    }
    match serde_json::from_str::<Value>(&call.arguments) {
        Ok(Value::Object(arguments)) => Ok(arguments),
        Ok(_) => Err("The arguments must be a JSON object.".into()),
        Err(error) => Err(format!("The arguments are not valid JSON ({error}).")),
    }
}

fn unknown_tool(name: &str, toolbox: &Toolbox) -> String {
    let mut names: Vec<&str> = toolbox
        .specs
        .iter()
        .map(|spec| spec.name.as_str())
        .collect();
    names.sort_unstable();
    let shown: String = name.chars().take(80).collect();
    format!(
        "There is no tool named \"{shown}\". The tools are: {}.",
        names.join(", ")
    )
}
