//! The MCP hub as the chat engine's tool host: the engine asks for tools and runs them
//! through [`ToolHost`], never seeing a server; each call gets the time its server allows.

use std::sync::Arc;
use std::time::Duration;

use futures::FutureExt;
use futures::future::BoxFuture;
use tokio::sync::mpsc::{self, UnboundedSender};
use tokio_util::sync::CancellationToken;

use crate::chat::{HostCall, HostTool, ToolHost, ToolOutput, ToolProgress};
use crate::mcp::input::DEFAULT_CALL_TIMEOUT_SECS;
use crate::mcp::{McpHub, McpProgress};
use crate::store::{Db, mcp_servers};

pub(super) struct McpTools {
    pub hub: Arc<McpHub>,
    pub db: Db,
}

impl McpTools {
    /// The time a call to `server_id` may take (its setting, else the default).
    async fn call_timeout(&self, server_id: &str) -> Duration {
        let secs = match mcp_servers::get(self.db.conn(), server_id).await {
            Ok(Some(row)) => {
                u32::try_from(row.call_timeout_secs).unwrap_or(DEFAULT_CALL_TIMEOUT_SECS)
            }
            _ => DEFAULT_CALL_TIMEOUT_SECS,
        };
        Duration::from_secs(u64::from(secs.max(1)))
    }
}

impl ToolHost for McpTools {
    fn tools<'a>(&'a self, server_ids: &'a [String]) -> BoxFuture<'a, Vec<HostTool>> {
        async move {
            self.hub
                .tools(server_ids)
                .await
                .into_iter()
                .map(|tool| HostTool {
                    server_id: tool.server_id,
                    server_name: tool.server_name,
                    name: tool.name,
                    description: tool.description,
                    input_schema: tool.input_schema,
                })
                .collect()
        }
        .boxed()
    }

    fn call(
        &self,
        call: HostCall,
        cancel: CancellationToken,
        progress: UnboundedSender<ToolProgress>,
    ) -> BoxFuture<'_, ToolOutput> {
        async move {
            let timeout = self.call_timeout(&call.server_id).await;
            let (reports, mut reported) = mpsc::unbounded_channel::<McpProgress>();
            let running = self.hub.call(
                &call.server_id,
                &call.tool,
                call.arguments,
                timeout,
                cancel,
                Some(reports),
            );
            tokio::pin!(running);
            let outcome = loop {
                tokio::select! {
                    outcome = &mut running => break outcome,
                    Some(report) = reported.recv() => {
                        // A reply that no longer listens drops the reports.
                        let _ = progress.send(ToolProgress {
                            progress: report.progress,
                            total: report.total,
                            message: report.message,
                        });
                    }
                }
            };
            ToolOutput {
                text: outcome.text,
                images: outcome.images,
                is_error: outcome.is_error,
            }
        }
        .boxed()
    }
}
