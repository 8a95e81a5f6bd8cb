/**
 * The pull-request comment against hostile data: one escaping function per context, each with
 * property tests (fast-check) that render the result with a CommonMark + GFM-tables renderer
 * (markdown-it, with HTML and autolinks on, as GitHub has them) and check it shows the text and
 * nothing else; then the whole comment for a hostile program and a 3,000-resource one.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import fc from "fast-check";
import { ResourceRecord } from "../plan";
import { runCli } from "../plan/cli";
import { mdCell, mdCode, mdFence, mdHeading, mermaidLabel, oneLine, stickyHeader, withoutCommentMarkers } from "../plan/escape";
import { COMMENT_MAX_LENGTH, FULL_PLAN_AT, commentMaxLength, renderMarkdown } from "../plan/markdown";
import { PlanDocument } from "../plan/report";
import { ROOT, cli, planStack } from "./helpers/plans";

/** markdown-it ships no types; the test uses `render` and the linkify settings. */
interface MarkdownIt {
    render(text: string): string;
    linkify: { set(options: { fuzzyLink: boolean }): void };
}
const md: MarkdownIt = require("markdown-it")({ html: true, linkify: true });
md.linkify.set({ fuzzyLink: false }); // GFM autolinks `scheme://` and `www.` (checked on the raw text below), not bare domains

const RUNS = { numRuns: 300 };

/** Pieces that break naive escaping: HTML, the sticky marker, mentions, links, table and code syntax, line breaks, Mermaid directives. */
const HOSTILE = [
    "<",
    ">",
    "&",
    "&lt;",
    "&#64;",
    "|",
    "\\",
    "\\|",
    "`",
    "```",
    "~~~",
    "\n",
    "\r",
    "\r\n",
    "\u2028",
    "\u202e",
    "\u001b[31m",
    "@",
    "@everyone",
    "@octo-org/team",
    "a@b.com",
    "<!--",
    "-->",
    "<!-- Sticky Pull Request Commentrunway-plan -->",
    "<img src=x onerror=alert(1)>",
    "<details>",
    "</td></tr></table>",
    "[x](https://evil.example)",
    "![i](https://evil.example/p.png)",
    "https://evil.example",
    "WWW.evil.example",
    "*",
    "_",
    "~",
    "$x$",
    "#",
    "%%{init: {'theme':'dark'}}%%",
    '"',
    "]",
    "(",
    "{",
    " ",
    "a",
    "é",
    "0",
];
const hostile = fc.oneof(
    fc.array(fc.constantFrom(...HOSTILE), { maxLength: 12 }).map((parts) => parts.join("")),
    fc.string({ unit: "binary", maxLength: 60 }),
);

/** Text of rendered HTML: entities decoded, zero-width spaces (the mention and autolink breakers) dropped. */
function textOf(html: string): string {
    return html
        .replace(/&lt;/g, "<")
        .replace(/&gt;/g, ">")
        .replace(/&quot;/g, '"')
        .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)))
        .replace(/&amp;/g, "&")
        .replace(/\u200b/g, "");
}

/** What a cell shows for `s`: one line, control characters replaced, no zero-width spaces, trimmed like a table cell. */
const shown = (s: string) =>
    oneLine(s)
        .replace(/\u200b/g, "")
        .trim();

/** The body cells of a rendered one-row table. */
function cellsOf(html: string): string[] {
    const body = /<tbody>\n([\s\S]*)<\/tbody>/.exec(html)?.[1] ?? "";
    const rows = body.match(/<tr>[\s\S]*?<\/tr>/g) ?? [];
    expect(rows, html).to.have.length(1);
    return [...(rows[0] ?? "").matchAll(/<td>([\s\S]*?)<\/td>/g)].map((m) => m[1]);
}

/** No live @mention, `scheme://` or `www.` autolink, sticky marker, or line break in raw comment text. */
function expectInert(raw: string): void {
    expect(raw).not.to.match(/[\r\n]/);
    expect(raw).not.to.include("<!--");
    expect(raw, "a live @mention").not.to.match(/@[A-Za-z0-9_-]/);
    expect(raw, "an autolink").not.to.match(/:\/\/|www\./i);
}

describe("comment escaping: a table cell", () => {
    it("renders any string as exactly that text in its own cell: no tag, link, image, mention, split or merged row", () => {
        fc.assert(
            fc.property(hostile, (s) => {
                const cell = mdCell(s);
                expectInert(cell);
                expect(cell).not.to.match(/[<>]/);
                const cells = cellsOf(md.render(`| a | b | c |\n|---|---|---|\n| 1 | ${cell} | 2 |\n`));
                expect(cells).to.have.length(3);
                expect(cells[0]).to.equal("1");
                expect(cells[2]).to.equal("2");
                expect(cells[1], "no element inside the cell").not.to.include("<");
                expect(textOf(cells[1])).to.equal(shown(s));
            }),
            RUNS,
        );
    });

    it("keeps a pipe after a backslash in the cell (GFM removes one backslash before every pipe)", () => {
        const cells = cellsOf(md.render(`| a | b |\n|---|---|\n| ${mdCell("C:\\|x")} | ${mdCell("a||b")} |\n`));
        expect(cells.map(textOf)).to.deep.equal(["C:\\|x", "a||b"]);
    });

    it("cuts a long value with an ellipsis rather than letting one value fill the comment", () => {
        expect(mdCell("x".repeat(5000), 100)).to.equal(`${"x".repeat(99)}…`);
    });
});

describe("comment escaping: code", () => {
    it("renders any string as one <code> element holding exactly that text, also inside a table", () => {
        fc.assert(
            fc.property(hostile, (s) => {
                const code = mdCode(s);
                expectInert(code);
                const cells = cellsOf(md.render(`| a | b |\n|---|---|\n| ${code} | 2 |\n`));
                expect(cells).to.have.length(2);
                const inner = /^<code>([^<]*)<\/code>$/.exec(cells[0]);
                expect(inner, cells[0]).not.to.equal(null);
                expect(textOf(inner![1])).to.equal(oneLine(s).replace(/\u200b/g, ""));
            }),
            RUNS,
        );
    });
});

describe("comment escaping: a heading", () => {
    it("renders any string as one level-2 heading with that text and nothing after it", () => {
        fc.assert(
            fc.property(hostile, (s) => {
                const heading = mdHeading(s);
                expectInert(heading);
                const html = md.render(`## [${heading}]\n`);
                const m = /^<h2>\[([^<]*)\]<\/h2>\n$/.exec(html);
                expect(m, html).not.to.equal(null);
                expect(textOf(m![1])).to.equal(oneLine(s, 200).replace(/\u200b/g, ""));
            }),
            RUNS,
        );
    });
});

describe("comment escaping: a Mermaid label", () => {
    /** Mermaid's entity codes back to characters (what it draws). */
    const decode = (s: string) =>
        s.replace(/#(\w+);/g, (_, code: string) =>
            /^\d+$/.test(code)
                ? String.fromCodePoint(Number(code))
                : ({ quot: '"', amp: "&", lt: "<", gt: ">" } as Record<string, string>)[code],
        );

    it("holds no quote, pipe, percent, backtick, angle bracket or line break, and draws as the text", () => {
        fc.assert(
            fc.property(hostile, (s) => {
                const label = mermaidLabel(s);
                expect(label).not.to.match(/["<>&%`|\r\n]/);
                expect(label).not.to.include("%%");
                expect(decode(label)).to.equal(oneLine(s, 200));
            }),
            RUNS,
        );
    });
});

describe("comment escaping: a fenced block (the resource tree)", () => {
    it("shows any lines as one code block holding exactly them: no line closes the fence, starts a tag or a marker", () => {
        fc.assert(
            fc.property(fc.array(hostile, { maxLength: 6 }), (lines) => {
                const block = mdFence(lines);
                const html = md.render(`before\n\n${[block.open, ...block.lines, block.close].join("\n")}\n\nafter\n`);
                const m = /^<p>before<\/p>\n<pre><code class="language-text">([^<]*)<\/code><\/pre>\n<p>after<\/p>\n$/.exec(html);
                expect(m, html).not.to.equal(null);
                const expected = lines.map((l) => oneLine(l, 2000).replace(/\u200b/g, "")).join("\n");
                expect(textOf(m![1])).to.equal(lines.length === 0 ? "" : `${expected}\n`);
                for (const l of block.lines) expect(l).not.to.include("<!--");
            }),
            RUNS,
        );
    });
});

describe("comment escaping: the sticky-comment marker", () => {
    it("no body keeps a `<!--`; nothing else changes", () => {
        fc.assert(
            fc.property(hostile, (s) => {
                const out = withoutCommentMarkers(s);
                expect(out).not.to.include("<!--");
                expect(out.replace(/<\u200b!--/g, "<!--")).to.equal(s.replace(/<\u200b!--/g, "<!--"));
            }),
            RUNS,
        );
    });
});

describe("the whole comment against hostile data", function () {
    this.timeout(60000);

    /** Raw table lines of a comment, by table: the cell count of each line (pipes not escaped by a backslash). */
    function tableShapes(body: string): number[][] {
        const tables: number[][] = [];
        let current: number[] | undefined;
        for (const line of body.split("\n")) {
            if (line.startsWith("|")) {
                current ??= tables[tables.push([]) - 1];
                current.push(line.replace(/\\\|/g, "").split("|").length);
            } else current = undefined;
        }
        return tables;
    }

    it("escapes names, types, inputs, messages, project and stack everywhere, and keeps every table row whole", async () => {
        const { document } = await planStack("solo");
        const evil = HOSTILE.join(" ");
        const doc: PlanDocument = {
            ...document,
            project: `p${evil}`,
            stack: `s${evil}`,
            resources: document.resources.map((r) => ({ ...r, name: `${r.name}${evil}`, type: r.custom ? `${r.type}${evil}` : r.type })),
            policies: [{ policy: `pol${evil}`, level: "mandatory", urn: document.resources[3].urn, message: `title\n${evil}` }],
            deployability: [{ policy: "duplicate-urn", level: "mandatory", urn: document.resources[4].urn, message: evil }],
            cost: { ...document.cost, unpriced: [{ urn: document.resources[5].urn, type: "x", reason: evil }] },
        };
        const body = renderMarkdown(doc, {
            added: [{ identity: "i", type: `t${evil}`, name: `n${evil}` }],
            removed: [],
            changed: [{ identity: "j", type: "t", name: "n", changed: ["a"], details: [{ path: `a${evil}`, before: evil, after: evil }] }],
            cost: { baseMonthly: 0, headMonthly: 0, deltaMonthly: 0, baseIdle: 0, headIdle: 0 },
            warnings: [`w${evil}`],
        });
        expect(body).not.to.include("<!--");
        // Code blocks (the diagram, the tree) are shown as written: no mention, link or tag is live there.
        const prose = body.replace(/^(`{3,})[\s\S]*?^\1$/gm, "").replace(/`[^`\n]+`/g, "");
        expect(prose, "a live @mention").not.to.match(/@[A-Za-z0-9_-]/);
        expect(prose, "an autolink").not.to.match(/:\/\/|www\./i);
        const tags = [...prose.matchAll(/<\/?([a-zA-Z][\w-]*)[^>]*>/g)].map((m) => m[1]);
        expect(["br", "code", "details", "summary"]).to.include.members([...new Set(tags)]);
        for (const shape of tableShapes(body)) expect(new Set(shape).size, JSON.stringify(shape)).to.equal(1);
        const html = md.render(body);
        expect(html).not.to.match(/<(a|img|script|table[^>]*>\s*<\/table)\b/);
        expect(html.match(/<pre>/g), "the diagram and the tree, each one block").to.have.length(2);
    });

    it("a real program's hostile names, values and outputs: the comment renders them as text, --json stays JSON, the terminal gets no control sequence", async () => {
        const run = (...format: string[]) =>
            cli(
                "--cwd",
                path.join(ROOT, "tests", "fixtures", "unruly-program"),
                "--stack",
                "dev",
                "--config",
                "unruly:mode=hostile-names",
                ...format,
            );
        const [markdown, json, text] = await Promise.all([run("--markdown"), run("--json"), run()]);
        for (const r of [markdown, json, text]) expect(r.code, r.stderr).to.equal(0);
        const body = markdown.stdout;
        expect(body).not.to.include("<!--");
        const html = md.render(body);
        expect(html).not.to.match(/<(a|img|script|details open)\b/);
        expect(html.match(/<table>/g), "the resource table only").to.have.length(html.match(/<\/table>/g)?.length ?? 0);
        const prose = body.replace(/^(`{3,})[\s\S]*?^\1$/gm, "").replace(/`[^`\n]+`/g, "");
        expect(prose, "a live @mention").not.to.match(/@[A-Za-z0-9_-]/);
        expect(prose, "an autolink").not.to.match(/:\/\/|www\./i);
        const diagram = /^```mermaid\n([\s\S]*?)\n```$/m.exec(body);
        expect(diagram?.[1], "the diagram, without a Mermaid directive").to.include("flowchart").and.not.include("%%");
        // The names are all there, as text: the tree shows both resources.
        expect(html.match(/onerror=alert\(1\)/g)?.length).to.be.at.least(2);
        const doc = JSON.parse(json.stdout);
        expect(doc.resources.filter((r: { custom: boolean }) => r.custom).map((r: { name: string }) => r.name.slice(0, 10))).to.deep.equal([
            "first",
            "pet <img s",
            "child <img",
        ]);
        // A terminal would run ESC sequences (a title change, colours) and bidi overrides: the text plan shows none.
        expect(text.stdout).to.include("onerror=alert(1)");
        for (const c of ["\u001b", "\u0007", "\u202e"]) expect(text.stdout + text.stderr, JSON.stringify(c)).not.to.include(c);
    });

    it("a 3,000-resource plan fits GitHub's 65,536 characters: summary, findings and cost first, then as much of the tree as fits", async () => {
        const { document } = await planStack("production");
        const resources: ResourceRecord[] = [];
        for (let i = 0; resources.length < 3000; i++)
            for (const r of document.resources.filter((x) => i === 0 || x.type !== "pulumi:pulumi:Stack").slice(0, 3000 - resources.length))
                resources.push({ ...r, urn: `${r.urn}-${i}`, name: `${r.name}-${i}`, parent: r.parent && `${r.parent}-${i}` });
        const findings = resources
            .slice(0, 1500)
            .map((r) => ({ policy: "tags", level: "advisory" as const, urn: r.urn, message: "t\nno tags" }));
        const last = { policy: "budget-presence", level: "mandatory" as const, message: "t\nThe stack has no budget" };
        const doc: PlanDocument = { ...document, resources, policies: [...findings, last] };
        const body = renderMarkdown(doc);
        // What the sticky step posts: the body, a line break a shell step may add, and the marker of its header.
        const posted = (text: string, header: string) => `${text}\n\n<!-- Sticky Pull Request Comment${header} -->`;
        expect(body.length).to.be.at.most(COMMENT_MAX_LENGTH);
        // Not told its header, the comment leaves room for the Action's and for a generated per-stack one (stack names ≤ 100).
        for (const header of [stickyHeader("production"), "runway-preview", `runway-preview-${"s".repeat(100)}`])
            expect(posted(body, header).length, header).to.be.at.most(65_536);
        expect(body.slice(0, 300), body.slice(0, 300)).to.match(/^## Runway plan: runway\/production\n\n\*\*3,000 resources/);
        expect(body).to.include("| **total** | at stated usage |");
        expect(body).to.include("### Deployability");
        expect(body, "the mandatory finding, listed last, is shown first").to.include(
            "| mandatory | budget-presence | stack | The stack has no budget |",
        );
        expect(body).to.match(/\| … \| \d+ more policy violations: see the job summary and the plan artifact \| \|/);
        expect(body).to.match(/… [\d,]+ more resources: see the job summary and the plan artifact/);
        expect(body).to.include("The diagram is left out");
        // What is shown renders: the tree block is closed and the details element ends.
        expect(md.render(body).match(/<pre>/g)).to.have.length(1);
        expect(body.trimEnd().endsWith("</details>")).to.equal(true);
        // The Action finds the phrase and puts the whole plan in the job summary and the artifact.
        expect(fs.readFileSync(path.join(ROOT, "action", "plan.sh"), "utf8")).to.include(`grep -q 'see ${FULL_PLAN_AT}'`);
        // Told its header, the comment fills what is left beside that header's marker (less one tree line at most), short or long.
        const short = renderMarkdown(doc, undefined, { commentHeader: stickyHeader("production") });
        expect(posted(short, stickyHeader("production")).length).to.be.within(65_536 - 300, 65_536);
        // The command's --comment-header, with the longest header it takes.
        const long = `runway-preview-${"p".repeat(241)}`;
        let printed = "";
        const io = {
            stdout: (t: string) => (printed += t),
            stderr: () => {},
            shellDir: ROOT,
            env: {},
            plan: async () => ({ document: doc, diagnostics: [] }),
        };
        expect(await runCli(["--stack", "production", "--markdown", "--comment-header", long], io), "the mandatory finding").to.equal(1);
        expect(printed.length).to.be.at.most(commentMaxLength(long));
        expect(posted(printed, long).length).to.be.within(65_536 - 300, 65_536);
        // A small plan is left whole.
        const small = renderMarkdown(document);
        expect(small).not.to.match(/more resources|left out/);
    });
});
