import { describe, expect, it } from "vitest";
import { elementOf, isEditable, menuTargetAt } from "../menuTarget";

function html(markup: string): HTMLElement {
  const root = document.createElement("div");
  root.innerHTML = markup;
  return root;
}

/** The `i`th element matching `css`, or null. */
function nth(root: HTMLElement, css: string, i: number): Element | null {
  return root.querySelectorAll(css).item(i);
}

describe("menuTargetAt", () => {
  it("finds the link around the node and whether the browser may open it", () => {
    const root = html('<p>See <a href=" https://example.com/a?b=1 "><b>the docs</b></a></p>');
    const target = menuTargetAt(root.querySelector("b"), "");
    expect(target).toEqual({
      selection: "",
      link: "https://example.com/a?b=1",
      openable: true,
      code: null,
    });
    const mail = html('<a href="mailto:a@example.com">mail</a>').querySelector("a");
    expect(menuTargetAt(mail, "").openable).toBe(true);
  });

  it("offers to copy a link it would not open", () => {
    const root = html('<a href="tauri://localhost/x">x</a><a href="#top">top</a><a>no href</a>');
    const app = nth(root, "a", 0);
    const fragment = nth(root, "a", 1);
    const bare = nth(root, "a", 2);
    expect(menuTargetAt(app, "")).toMatchObject({ link: "tauri://localhost/x", openable: false });
    expect(menuTargetAt(fragment, "")).toMatchObject({ link: "#top", openable: false });
    expect(menuTargetAt(bare, "")).toMatchObject({ link: null, openable: false });
  });

  it("reads the code block's text without its last newline", () => {
    const root = html(
      '<div class="md-code"><pre><code><span>let a</span> = 1;\n\n</code></pre></div>',
    );
    expect(menuTargetAt(root.querySelector("span"), "").code).toBe("let a = 1;\n");
    expect(menuTargetAt(root, "").code).toBeNull();
  });

  it("keeps the selection and finds nothing on plain text or nowhere", () => {
    const root = html("<p>plain</p>");
    expect(menuTargetAt(root.querySelector("p"), "plain")).toEqual({
      selection: "plain",
      link: null,
      openable: false,
      code: null,
    });
    expect(menuTargetAt(null, "")).toEqual({
      selection: "",
      link: null,
      openable: false,
      code: null,
    });
  });
});

describe("isEditable", () => {
  it("is true in text fields and editable regions only", () => {
    const root = html(
      '<textarea></textarea><input><input type="search"><input type="checkbox">' +
        '<button>b</button><div contenteditable="true"><span>x</span></div>' +
        '<div contenteditable="false"><i>y</i></div>',
    );
    const field = (i: number) => nth(root, "textarea, input", i);
    const [textarea, input, search, checkbox] = [field(0), field(1), field(2), field(3)];
    expect(isEditable(textarea)).toBe(true);
    expect(isEditable(input)).toBe(true);
    expect(isEditable(search)).toBe(true);
    expect(isEditable(checkbox)).toBe(false);
    expect(isEditable(root.querySelector("button"))).toBe(false);
    expect(isEditable(root.querySelector("span"))).toBe(true);
    expect(isEditable(root.querySelector("i"))).toBe(false);
    expect(isEditable(null)).toBe(false);
  });

  it("elementOf takes a text node's parent", () => {
    const root = html("<p>text</p>");
    const p = root.querySelector("p");
    expect(elementOf(p?.firstChild ?? null)).toBe(p);
    expect(elementOf(p)).toBe(p);
    expect(elementOf(null)).toBeNull();
  });
});
