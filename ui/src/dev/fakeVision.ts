/**
 * The fake core's model capabilities and attachment budget (see `fakeCore.ts`): vision
 * guessed from the model's name as the core guesses it (roughly), the person's word on top.
 */
import type { AttachmentFit, ModelCapabilities } from "../bindings";
import type { CoreHandlers } from "./typedCore";

const SEEING = [
  /^gpt-4o/,
  /^gpt-4\.1/,
  /^gpt-5/,
  /^o[34]/,
  /^claude-/,
  /^gemini/,
  /vl/,
  /vision/,
  /llava/,
];

export function createVision(): Pick<
  CoreHandlers,
  "modelCapabilities" | "setModelVision" | "attachmentFit"
> {
  const said = new Map<string, boolean>();
  const capabilities = (providerId: string, model: string): ModelCapabilities => {
    const own = said.get(`${providerId}\n${model}`);
    if (own !== undefined) return { vision: own, source: "user" };
    const name = model.toLowerCase().split("/").pop() ?? "";
    return { vision: SEEING.some((pattern) => pattern.test(name)), source: "guess" };
  };
  return {
    modelCapabilities: capabilities,
    setModelVision: (providerId, model, vision) => {
      const key = `${providerId}\n${model}`;
      if (vision === null) said.delete(key);
      else said.set(key, vision);
      return capabilities(providerId, model);
    },
    attachmentFit: (): AttachmentFit => ({ tokens: 1200, budget: 32000, pagesThatFit: null }),
  };
}
