/**
 * Builds DOM nodes from data. Text always goes in through `textContent`, never markup, so whatever the
 * API returns (a model name, a feedback comment, an end-user id) is shown, not interpreted.
 */

export type Child = Node | string | null | undefined | false;

export interface ElementOptions {
  className?: string;
  text?: string;
  /** Set with `setAttribute`; `style` is refused here because the CSP forbids style attributes. */
  attributes?: Record<string, string>;
  title?: string;
}

export const element = <Tag extends keyof HTMLElementTagNameMap>(
  tag: Tag,
  options: ElementOptions = {},
  children: readonly Child[] = [],
): HTMLElementTagNameMap[Tag] => {
  const node = document.createElement(tag);
  if (options.className !== undefined) node.className = options.className;
  if (options.text !== undefined) node.textContent = options.text;
  if (options.title !== undefined) node.title = options.title;
  for (const [name, value] of Object.entries(options.attributes ?? {})) {
    if (name === 'style') throw new Error('Style attributes are blocked by the dashboard CSP; set element.style instead.');
    node.setAttribute(name, value);
  }
  append(node, children);
  return node;
};

export const append = (parent: Node, children: readonly Child[]): void => {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
};

/** A `div` with a class, the most common node. */
export const box = (className: string, children: readonly Child[] = []): HTMLDivElement => element('div', { className }, children);

/** A span of text with a class. */
export const textSpan = (className: string, text: string, title?: string): HTMLSpanElement =>
  element('span', title === undefined ? { className, text } : { className, text, title });

const svgNamespace = 'http://www.w3.org/2000/svg';

/** A small stroke icon from path data, for buttons and empty states (no icon font to download). */
export const icon = (paths: readonly string[], className = 'icon'): SVGSVGElement => {
  const svg = document.createElementNS(svgNamespace, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', className);
  svg.setAttribute('aria-hidden', 'true');
  for (const data of paths) {
    const path = document.createElementNS(svgNamespace, 'path');
    path.setAttribute('d', data);
    svg.appendChild(path);
  }
  return svg;
};
