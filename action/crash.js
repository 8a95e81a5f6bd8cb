#!/usr/bin/env node
// The comment for a plan that could not run (action/plan.sh): "The plan could not run: <message>",
// from the command's error output on stdin, every line escaped as the plan's own comment escapes
// data (dist/plan/escape.js), so an error message cannot inject Markdown, HTML, a mention or a marker.
// Usage: node crash.js <stack> < plan.err > plan.md
"use strict";
const fs = require("fs");
const { mdHeading, mdText, withoutCommentMarkers } = require("../dist/plan/escape.js");

const stack = process.argv[2] ?? "";
const lines = fs
    .readFileSync(0, "utf8")
    .split("\n")
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== "" && !/^\(run with --verbose/.test(l));
const [first, ...rest] = lines;
const message = first === undefined ? "it printed nothing (see the job log)" : mdText(first.replace(/^program error: /, ""), 1000);
const shown = rest.slice(0, 20);
process.stdout.write(
    withoutCommentMarkers(
        [
            `## Runway plan: ${mdHeading(stack)}`,
            "",
            `**The plan could not run:** ${message}`,
            ...(shown.length > 0 ? ["", ...shown.map((l) => `- ${mdText(l.replace(/^\s*-\s*/, ""), 1000)}`)] : []),
            ...(rest.length > shown.length ? [`- … ${rest.length - shown.length} more lines in the job log`] : []),
            "",
            "Exit code 2: bad arguments, bad config or a program error. Fix it and push again; the job log has the full output.",
            "",
        ].join("\n"),
    ),
);
