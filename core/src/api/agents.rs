//! Agents: the presets conversations start from.

use super::Api;
use crate::agents::{self, Agent, AgentInput};
use crate::error::Result;

impl Api {
    pub async fn list_agents(&self) -> Result<Vec<Agent>> {
        agents::list(self.conn()).await
    }

    pub async fn get_agent(&self, id: &str) -> Result<Agent> {
        agents::get(self.conn(), id).await
    }

    pub async fn create_agent(&self, input: AgentInput) -> Result<Agent> {
        agents::create(self.conn(), input).await
    }

    pub async fn update_agent(&self, id: &str, input: AgentInput) -> Result<Agent> {
        agents::update(self.conn(), id, input).await
    }

    pub async fn duplicate_agent(&self, id: &str) -> Result<Agent> {
        agents::duplicate(self.conn(), id).await
    }

    pub async fn delete_agent(&self, id: &str) -> Result<()> {
        agents::delete(self.conn(), id).await
    }

    /// The agents `ids` (all but the built-in one when empty) as a `confab-agents` document.
    pub async fn export_agents(&self, ids: &[String]) -> Result<String> {
        agents::export(self.conn(), ids).await
    }

    /// Imports a `confab-agents` document: all of it, or nothing with every problem listed.
    pub async fn import_agents(&self, document: &str) -> Result<Vec<Agent>> {
        agents::import(self.conn(), document).await
    }

    /// The agent a conversation was started from.
    pub async fn get_conversation_agent(&self, conversation_id: &str) -> Result<Option<Agent>> {
        agents::for_conversation(self.conn(), conversation_id).await
    }
}
