import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { ModelPrice, Price, Provider } from "../../../ipc";
import { invalidInput, mockCore, problem } from "../../../test/core";
import { PricesSection } from "../components/PricesSection";

const usd = (input: number, cachedInput: number | null, output: number): Price => ({
  input,
  cachedInput,
  output,
  currency: "USD",
});

function provider(id: string, name: string): Provider {
  return {
    id,
    name,
    kind: "openai-compatible",
    baseUrl: "https://api.openai.com/v1",
    defaultModel: "gpt-4o-mini",
    extraHeaders: {},
    secretHeaders: {},
    keySet: true,
    createdAt: 0,
    updatedAt: 0,
  };
}

const SHIPPED: ModelPrice = {
  model: "gpt-4o-mini",
  price: usd(0.15, 0.075, 0.6),
  custom: false,
  shipped: usd(0.15, 0.075, 0.6),
};
const MINE: ModelPrice = { ...SHIPPED, price: usd(0.2, null, 0.8), custom: true };

function rowOf(model: string) {
  const row = screen.getAllByTestId("price-row").find((r) => r.textContent?.includes(model));
  if (!row) throw new Error(`no row for ${model}`);
  return within(row);
}

describe("PricesSection", () => {
  it("edits a shipped price into the person's own, and resets it", async () => {
    const core = mockCore({
      listProviders: () => [provider("openai", "OpenAI"), provider("local", "Ollama")],
      listModelPrices: (id) => (id === "openai" ? [SHIPPED] : []),
      setModelPrice: () => [MINE],
      removeModelPrice: () => [SHIPPED],
    });
    const user = userEvent.setup();
    render(<PricesSection />);

    expect(await screen.findByTestId("prices-table")).toHaveTextContent("0.075");
    await user.click(rowOf("gpt-4o-mini").getByRole("button", { name: "Edit" }));
    await user.clear(screen.getByLabelText("Input"));
    await user.type(screen.getByLabelText("Input"), "0.2");
    await user.clear(screen.getByLabelText("Cached input"));
    await user.clear(screen.getByLabelText("Output"));
    await user.type(screen.getByLabelText("Output"), "0.8");
    await user.click(screen.getByRole("button", { name: "Save" }));

    expect(await screen.findByText("Yours")).toBeInTheDocument();
    expect(core.calls.find((c) => c.cmd === "set_model_price")?.args).toEqual({
      providerId: "openai",
      model: "gpt-4o-mini",
      price: usd(0.2, null, 0.8),
    });
    await user.click(rowOf("gpt-4o-mini").getByRole("button", { name: "Reset" }));
    expect(await screen.findByTestId("prices-table")).not.toHaveTextContent("Yours");
    expect(core.calls.find((c) => c.cmd === "remove_model_price")?.args).toEqual({
      providerId: "openai",
      model: "gpt-4o-mini",
    });

    // Another provider, with no price yet.
    await user.selectOptions(screen.getByTestId("prices-provider"), "local");
    expect(await screen.findByTestId("prices-none")).toBeInTheDocument();
  });

  it("shows the core's problems at their fields, and refuses figures that are not numbers", async () => {
    const core = mockCore({
      listProviders: () => [provider("openai", "OpenAI")],
      listModelPrices: () => [],
      setModelPrice: () => invalidInput(problem("currency", "currency_code")),
    });
    const user = userEvent.setup();
    render(<PricesSection />);

    await user.click(await screen.findByTestId("prices-add"));
    await user.type(screen.getByLabelText("Model"), "my-model");
    await user.type(screen.getByLabelText("Input"), "abc");
    await user.type(screen.getByLabelText("Output"), "1");
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(screen.getByTestId("price-problems")).toHaveTextContent(
      "Enter the prices as numbers, e.g. 0.15.",
    );
    expect(screen.getByLabelText("Input")).toHaveAttribute("aria-invalid", "true");
    expect(core.calls.some((c) => c.cmd === "set_model_price")).toBe(false);

    await user.clear(screen.getByLabelText("Input"));
    await user.type(screen.getByLabelText("Input"), "1");
    await user.clear(screen.getByLabelText("Currency"));
    await user.type(screen.getByLabelText("Currency"), "dollars");
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByTestId("price-problems")).toHaveTextContent(
      "Currency: Enter a three-letter currency code, such as USD or CNY.",
    );
    expect(screen.getByLabelText("Currency")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByLabelText("Input")).not.toHaveAttribute("aria-invalid");
  });
});
