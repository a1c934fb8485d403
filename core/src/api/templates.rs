//! Context templates: reusable system prompts.

use super::Api;
use crate::chat::ContextOverride;
use crate::error::Result;
use crate::templates::{self, ContextTemplate, TemplateInput};

impl Api {
    pub async fn list_templates(&self) -> Result<Vec<ContextTemplate>> {
        templates::list(self.conn()).await
    }

    pub async fn create_template(&self, input: &TemplateInput) -> Result<ContextTemplate> {
        templates::create(self.conn(), input).await
    }

    pub async fn update_template(
        &self,
        id: &str,
        input: &TemplateInput,
    ) -> Result<ContextTemplate> {
        templates::update(self.conn(), id, input).await
    }

    pub async fn delete_template(&self, id: &str) -> Result<()> {
        templates::delete(self.conn(), id).await
    }

    /// Makes `id` the default template; `None` leaves no default.
    pub async fn set_default_template(&self, id: Option<&str>) -> Result<()> {
        templates::set_default(self.conn(), id).await
    }

    /// Sets the conversation's system prompt to the template's content.
    pub async fn apply_template(
        &self,
        conversation_id: &str,
        template_id: &str,
    ) -> Result<ContextOverride> {
        templates::apply_template(self.conn(), conversation_id, template_id).await
    }
}
