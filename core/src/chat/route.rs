//! Where a conversation's replies come from: its agent's provider and model (with the
//! agent's sampling parameters), else the default provider chosen in the settings. With
//! neither there is nowhere to send it: [`Error::NoProvider`].

use std::collections::BTreeMap;

use sea_orm::ConnectionTrait;

use crate::agents::{self, AgentParams};
use crate::error::{Error, Result};
use crate::llm::Endpoint;
use crate::providers;
use crate::store::entities::conversation;

/// A resolved destination for one request.
#[derive(Debug, Clone)]
pub(super) struct Route {
    pub provider_id: String,
    pub endpoint: Endpoint,
    /// The keychain account holding the key; `None` when the provider has none.
    pub key_account: Option<String>,
    pub headers: BTreeMap<String, String>,
    /// Secret headers: name → keychain account of the value.
    pub secret_headers: BTreeMap<String, String>,
    pub params: AgentParams,
}

pub(super) async fn resolve(
    db: &impl ConnectionTrait,
    conversation: &conversation::Model,
    default_provider: Option<&str>,
) -> Result<Route> {
    let agent = match &conversation.agent_id {
        // A conversation whose agent was deleted keeps working on the default provider.
        Some(id) => agents::get(db, id).await.ok(),
        None => None,
    };
    let (provider_id, model, params) = match agent {
        Some(agent) => (agent.provider_id, agent.model, agent.params),
        None => (None, None, AgentParams::default()),
    };
    for_agent(db, provider_id.as_deref(), model, params, default_provider).await
}

/// The route of an agent's settings (a stored agent's, or an unsaved draft's): its
/// provider, else `default_provider` (the one chosen in the settings); its model, else the
/// provider's default.
pub(super) async fn for_agent(
    db: &impl ConnectionTrait,
    provider_id: Option<&str>,
    model: Option<String>,
    params: AgentParams,
    default_provider: Option<&str>,
) -> Result<Route> {
    let model = model.filter(|m| !m.trim().is_empty());
    let provider_id = provider_id.or(default_provider).ok_or(Error::NoProvider)?;
    let provider = providers::find(db, provider_id).await?;
    let headers = serde_json::from_value(provider.extra_headers.clone()).unwrap_or_default();
    let secret_headers = providers::secret_header_accounts(&provider);
    Ok(Route {
        provider_id: provider.id,
        endpoint: Endpoint {
            base_url: provider.base_url,
            model: model.unwrap_or(provider.default_model),
        },
        secret_headers,
        key_account: provider.key_ref,
        headers,
        params,
    })
}
