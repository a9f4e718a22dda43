/**
 * A highlighted tree (hast) as Preact elements: only the span elements and text
 * highlight.js makes, with their class names, so nothing in it becomes HTML.
 */
import type { ComponentChildren } from "preact";
import type { ElementContent, Root } from "hast";

export function hastElements(tree: Root): ComponentChildren {
  return tree.children.map((node, index) =>
    node.type === "doctype" || node.type === "comment" ? null : nodeElement(node, index),
  );
}

function nodeElement(node: ElementContent, key: number): ComponentChildren {
  if (node.type === "text") return node.value;
  if (node.type !== "element") return null;
  const className = node.properties.className;
  return (
    <span key={key} class={Array.isArray(className) ? className.join(" ") : undefined}>
      {node.children.map(nodeElement)}
    </span>
  );
}
