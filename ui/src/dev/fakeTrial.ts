/**
 * The fake core's "try it" replies (see `fakeCore.ts`): a short reply naming what the draft
 * would send, streamed a few words at a time, stored nowhere.
 */
import { lineFields } from "./lineMessage";
import type { Channel } from "@tauri-apps/api/core";
import type { AgentInput, ChatEvent, Message, PromptMessage } from "../ipc";
import { problem, refuse } from "./fakeProblems";
import { channelSender, rejectWith as fail } from "./typedCore";

export function createTrials(chinese: boolean) {
  const running = new Map<string, () => void>();
  let seq = 0;

  function reply(draft: AgentInput, history: PromptMessage[]): string {
    const system = draft.presetMessages?.find((m) => m.role === "system")?.content;
    const model = draft.model?.trim() || (chinese ? "默认模型" : "the default model");
    const question = history[history.length - 1]?.content ?? "";
    return chinese
      ? `（试用 · ${model}）你问：“${question}”。${system ? `我的设定是：${system}` : "我没有系统提示。"}这段对话不会被保存。`
      : `(Trying · ${model}) You asked: “${question}”. ${system ? `My instructions: ${system}` : "I have no system prompt."} Nothing of this chat is saved.`;
  }

  /** Answers `tryAgent`. */
  function start(
    draft: AgentInput,
    history: PromptMessage[],
    onEvent: Channel<ChatEvent>,
  ): Promise<string> | string {
    const temperature = draft.params?.temperature;
    if (temperature != null && (temperature < 0 || temperature > 2)) {
      return refuse(fail, problem("params.temperature", "out_of_range", { min: 0, max: 2 }));
    }
    const last = history[history.length - 1];
    if (last?.role !== "user") {
      return refuse(fail, problem("messages", "nothing_to_answer"));
    }
    const emit = channelSender(onEvent).send;
    const streamId = `trial-stream-${++seq}`;
    const conversationId = `trial-${seq}`;
    const message = (role: "user" | "assistant", content: string, state: Message["state"]) => ({
      id: `trial-m-${++seq}`,
      conversationId,
      seq: history.length,
      role,
      content,
      createdAt: Date.now(),
      state,
      inContext: true,
      ...lineFields(),
      meta: role === "assistant" ? { model: draft.model ?? "gpt-4o-mini" } : {},
    });
    emit({
      event: "started",
      data: {
        streamId,
        conversationId,
        userMessage: message("user", last.content, "complete"),
        continuesMessageId: null,
        text: "",
      },
    });
    const words = reply(draft, history).split(/(?<=\s)/);
    let text = "";
    const timer = window.setInterval(() => {
      const word = words.shift();
      if (word === undefined) return finish("complete");
      text += word;
      emit({ event: "delta", data: { text: word } });
    }, 60);
    const finish = (state: Message["state"]) => {
      window.clearInterval(timer);
      running.delete(streamId);
      emit({ event: "done", data: { message: message("assistant", text, state) } });
    };
    running.set(streamId, () => finish("cancelled"));
    return streamId;
  }

  /** Stops a try-out; false when `streamId` is none. */
  function cancel(streamId: string): boolean {
    const stop = running.get(streamId);
    stop?.();
    return stop !== undefined;
  }

  return { start, cancel };
}
