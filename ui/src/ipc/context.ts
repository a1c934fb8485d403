/** What a conversation sends: its context override, templates, which messages count, and the preview. */
import { commands } from "../bindings";
import type {
  ContextOverride,
  ContextPreview,
  ContextTemplate,
  Message,
  TemplateInput,
} from "../bindings";
import { call } from "./call";

export function getContextOverride(conversationId: string): Promise<ContextOverride> {
  return call(() => commands.getContextOverride(conversationId));
}

/** Stores the override as given; a bad field is `invalid_input` naming it. */
export function setContextOverride(
  conversationId: string,
  value: ContextOverride,
): Promise<ContextOverride> {
  return call(() => commands.setContextOverride(conversationId, value));
}

export function listTemplates(): Promise<ContextTemplate[]> {
  return call(() => commands.listTemplates());
}

/** A blank name or content is `invalid_input` naming the field. */
export function createTemplate(input: TemplateInput): Promise<ContextTemplate> {
  return call(() => commands.createTemplate(input));
}

export function updateTemplate(id: string, input: TemplateInput): Promise<ContextTemplate> {
  return call(() => commands.updateTemplate(id, input));
}

export async function deleteTemplate(id: string): Promise<void> {
  await call(() => commands.deleteTemplate(id));
}

/** Makes `id` the one default template; `null` leaves none. */
export async function setDefaultTemplate(id: string | null): Promise<void> {
  await call(() => commands.setDefaultTemplate(id));
}

/** Puts the template into the conversation's override and returns the override. */
export function applyTemplate(
  conversationId: string,
  templateId: string,
): Promise<ContextOverride> {
  return call(() => commands.applyTemplate(conversationId, templateId));
}

/** The following three are `busy` while a reply streams in the message's conversation. */
export function setMessageInContext(messageId: string, inContext: boolean): Promise<Message> {
  return call(() => commands.setMessageInContext(messageId, inContext));
}

export function editMessage(messageId: string, content: string): Promise<Message> {
  return call(() => commands.editMessage(messageId, content));
}

/** Deletes a message and all that hangs below it; how many messages went. */
export function deleteMessage(messageId: string): Promise<number> {
  return call(() => commands.deleteMessage(messageId));
}

/** How many messages deleting this one takes with it (itself included). */
export function countMessageSubtree(messageId: string): Promise<number> {
  return call(() => commands.countMessageSubtree(messageId));
}

/** Exactly what the next request would send, and its tokens against the agent's budget. */
export function previewContext(conversationId: string): Promise<ContextPreview> {
  return call(() => commands.previewContext(conversationId));
}
