/**
 * Escaping for the pull-request comment: one function per context a data-derived string can land
 * in (resource names and types, input values, project and stack names, policy and deployability
 * messages, warnings). Each turns any string into text that renders as itself and nothing else:
 * no HTML tag, no sticky-comment marker, no live @mention, link or image, no table row split, no
 * code span or fence closed early, no Mermaid directive. tests/escape.test.ts holds the property
 * tests.
 *
 * GitHub renders comments as GitHub Flavored Markdown (cmark-gfm), then filters the HTML: @mentions
 * and autolinks are found in the rendered text, so backslash escapes cannot stop them; a zero-width
 * space (U+200B) can, as Renovate does for the names it prints (`@&#8203;user`).
 */
import { createHash } from "crypto";

/** U+200B ZERO WIDTH SPACE as an HTML entity (decoded in text and in HTML content). */
const ZWSP_ENTITY = "&#8203;";
/** The same character raw, for contexts where entities are not decoded (code, Mermaid). */
const ZWSP = "\u200b";

/** Characters that end a Markdown line or a table row: CR, LF, and the Unicode line/paragraph separators. */
const LINE_BREAKS = /\r\n|[\r\n\u2028\u2029\u0085\v\f]/g;
/** C0/C1 control characters and the bidirectional overrides that can make text read differently than it is. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROLS = /[\u0000-\u0008\u000e-\u001f\u007f-\u0084\u0086-\u009f\u202a-\u202e\u2066-\u2069]/g;
/** ASCII punctuation that can start inline Markdown (emphasis, code, links, images, strikethrough, math, tables, headings, HTML). */
const MARKDOWN_PUNCTUATION = /[\\`*_[\]()!~|#{}$]/g;

/** One line of plain text: line breaks become spaces, control characters U+FFFD; at most `max` characters (… marks a cut). */
export function oneLine(s: string, max = 500): string {
    const flat = String(s).replace(LINE_BREAKS, " ").replace(CONTROLS, "\ufffd");
    return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Text for a terminal or a log: control characters (ESC sequences, bidi overrides) replaced by U+FFFD; line breaks and tabs kept. */
export function printable(text: string): string {
    return String(text).replace(CONTROLS, "\ufffd");
}

/**
 * Inline Markdown text, safe in a table cell, a paragraph or a list item: renders as `s` on one
 * line. HTML is entity-escaped (so no tag and no `<!--` marker), Markdown punctuation is
 * backslash-escaped (pipes included, as GFM tables require), and @mentions, `scheme://` and `www.`
 * autolinks are broken by a zero-width space.
 */
export function mdText(s: string, max?: number): string {
    return oneLine(s, max)
        .replace(/&/g, "&amp;")
        .replace(/</g, "&lt;")
        .replace(/>/g, "&gt;")
        .replace(MARKDOWN_PUNCTUATION, "\\$&")
        .replace(/@/g, `@${ZWSP_ENTITY}`)
        .replace(/:(?=\/\/)/g, `:${ZWSP_ENTITY}`)
        .replace(/(www)\./gi, `$1${ZWSP_ENTITY}.`);
}

/** A table cell: `mdText`, so a pipe or a line break in the data can never add or split a cell. */
export function mdCell(s: string, max?: number): string {
    return mdText(s, max);
}

/**
 * Code (a resource type, a property path, a value) in a table cell or a paragraph: an HTML `<code>`
 * element around `mdText`. A Markdown code span cannot hold every string (a backslash before a
 * pipe, or the sticky marker, cannot be escaped inside one); GitHub keeps `<code>` and renders its
 * escaped content as written.
 */
export function mdCode(s: string, max?: number): string {
    return `<code>${mdText(s, max)}</code>`;
}

/**
 * A fenced code block that shows `lines` exactly as written, one per line: a backtick fence longer
 * than any run of backticks in them (so no line can close it early), each line on one line with
 * control characters replaced, and no `<!--` (a raw zero-width space after `<`: inside a code block
 * an entity would show as text).
 */
export function mdFence(lines: readonly string[], info = "text"): { open: string; lines: string[]; close: string } {
    const shown = lines.map((l) => withoutCommentMarkers(oneLine(l, 2000)));
    const longest = Math.max(0, ...shown.map((l) => Math.max(0, ...(l.match(/`+/g) ?? []).map((run) => run.length))));
    const fence = "`".repeat(Math.max(3, longest + 1));
    return { open: `${fence}${info}`, lines: shown, close: fence };
}

/** Text of a Markdown heading (`## …`): `mdText` on one line, so no closing `#` sequence and no second line. */
export function mdHeading(s: string, max = 200): string {
    return mdText(s, max);
}

/** Characters Mermaid reads as syntax or markup inside a quoted label, as its entity codes (`#quot;`, `#35;`). */
const MERMAID_ENTITIES: Readonly<Record<string, string>> = {
    "#": "#35;",
    '"': "#quot;",
    "&": "#amp;",
    "<": "#lt;",
    ">": "#gt;",
    "%": "#37;", // `%%{init: …}%%` directives and `%%` comments
    "`": "#96;", // "`…`" markdown strings
    "|": "#124;", // edge-label delimiters
};

/**
 * Text inside a quoted Mermaid label (`["…"]`, `|"…"|`, a subgraph title): every character that
 * could end the quoted string, start a directive (`%%`), a markdown string or HTML as an entity
 * code, on one line (brackets inside quotes are plain text). Mermaid turns
 * the codes back into the characters when it draws the label.
 */
export function mermaidLabel(s: string, max = 200): string {
    return oneLine(s, max).replace(/[#"&<>%`|]/g, (c) => MERMAID_ENTITIES[c]);
}

/**
 * marocchino/sticky-pull-request-comment finds "its" comment by `body.includes("<!-- Sticky Pull
 * Request Comment<header> -->")` among the comments of the same bot user (src/comment.ts,
 * findPreviousComment), and every workflow using GITHUB_TOKEN posts as the same user. A comment
 * that contains another header's marker would be overwritten by that workflow's sticky step. The
 * comment is built only of escaped data, so no `<!--` should reach it; this last pass over the whole
 * body guarantees it: every `<!--` gets a zero-width space after `<`.
 */
export function withoutCommentMarkers(body: string): string {
    return body.replace(/<!--/g, `<${ZWSP}!--`);
}

/**
 * The Action's sticky-comment header of a stack (action.yml, step `name`): `runway-plan-` and the first
 * 8 hex digits of the stack name's SHA-256, so each stack of a matrix keeps its own comment and every
 * header has the same length.
 */
export function stickyHeader(stack: string): string {
    return `runway-plan-${createHash("sha256").update(stack).digest("hex").slice(0, 8)}`;
}

/**
 * What marocchino/sticky-pull-request-comment appends to a body it posts under `header`
 * (src/comment.ts, bodyWithHeader: the body, a line break, then the marker).
 */
export function stickyMarker(header: string): string {
    return `\n<!-- Sticky Pull Request Comment${header} -->`;
}

/** The marker the Action's sticky step appends to the comment: the same length for every stack. */
export const STICKY_MARKER = stickyMarker(stickyHeader(""));

/**
 * GitHub refuses issue and pull-request comment bodies over 65,536 characters ("Body is too long
 * (maximum is 65536 characters)", REST API "Create an issue comment"). Lengths here are UTF-16 code
 * units, never fewer than the characters (code points) or a quarter of the UTF-8 bytes GitHub may count.
 */
export const GITHUB_COMMENT_LIMIT = 65_536;
