/**
 * Dockerfile word processing as BuildKit does it (moby/buildkit frontend/dockerfile/shell/lex.go,
 * `ProcessWord`, and parser/line_parsers.go, `parseWords`), with one addition: a variable only the
 * base image can define (its ENV is unknowable offline) stays symbolic, so a caller can tell a value
 * that is provably root from one that depends on the base image.
 *
 * Rules followed: single quotes are literal; double quotes keep everything but `$` and the esc
 * character (which escapes `"`, `$` and itself there); outside quotes the esc character takes the
 * next character literally; `$NAME`, `${NAME}`, `${NAME:-w}`, `${NAME-w}`, `${NAME:+w}`,
 * `${NAME+w}`, `${NAME:?w}`, `${NAME?w}`, `${NAME#p}`, `${NAME%p}`, `${NAME/p/r}`; a name starting
 * with a digit is the digits; `$` before anything else is literal; an unset variable is "".
 */

/** Text, or a variable's value that only the base image knows. */
export type Piece = string | { readonly unknown: string };
/** One possible expansion: pieces to concatenate. */
export type Expansion = readonly Piece[];

/** What a variable holds where it is read. */
export type Binding =
    /** Set by the Dockerfile (ARG, ENV, build arg): each alternative it may hold. */
    | { readonly kind: "set"; readonly values: readonly Expansion[] }
    /** Unset: expands to "". */
    | { readonly kind: "unset" }
    /** Not set by the Dockerfile: the base image's ENV may or may not set it. */
    | { readonly kind: "base" };

export type Lookup = (name: string) => Binding;

/** A word that does not parse, as BuildKit would refuse it. */
export class WordSyntaxError extends Error {}

/** More alternatives than this means the word is judged on the first ones only. */
const MAX_ALTERNATIVES = 64;

/** Expands one word (USER, an ARG or ENV value) into every value it may take. */
export function expandWord(word: string, lookup: Lookup, esc = "\\"): Expansion[] {
    const scanner = new Scanner(word);
    const result = processUntil(scanner, undefined, lookup, esc);
    return result.map(normalize);
}

/** Splits an ARG/ENV argument string into words, keeping quotes and escapes for expansion (BuildKit `parseWords`). */
export function splitWords(rest: string, esc = "\\"): string[] {
    const words: string[] = [];
    let word = "";
    let inWord = false;
    let quote: string | undefined;
    let blankOk = false;
    for (let i = 0; i < rest.length; i++) {
        const ch = rest[i];
        if (quote === undefined && !inWord && /\s/.test(ch)) continue;
        if (quote === undefined && inWord && /\s/.test(ch)) {
            if (blankOk || word.length > 0) words.push(word);
            word = "";
            inWord = false;
            blankOk = false;
            continue;
        }
        inWord = true;
        if (quote === undefined && (ch === "'" || ch === '"')) {
            quote = ch;
            blankOk = true;
        } else if (quote !== undefined && ch === quote) {
            quote = undefined;
        }
        if (ch === esc && quote !== "'") {
            if (i + 1 === rest.length) continue; // an esc at the end is dropped
            word += ch;
            i++;
            word += rest[i];
            continue;
        }
        word += ch;
    }
    if (inWord && (blankOk || word.length > 0)) words.push(word);
    return words;
}

/** The text of an expansion with no unknown part, else undefined. */
export function concrete(expansion: Expansion): string | undefined {
    return expansion.every((p) => typeof p === "string") ? expansion.join("") : undefined;
}

/** The base-image variables an expansion depends on. */
export function unknownsOf(expansion: Expansion): string[] {
    return expansion.flatMap((p) => (typeof p === "string" ? [] : [p.unknown]));
}

class Scanner {
    index = 0;
    constructor(readonly text: string) {}
    peek(): string | undefined {
        return this.text[this.index];
    }
    next(): string | undefined {
        return this.text[this.index++];
    }
}

/** Every combination of one alternative from each list, in order. */
function product(parts: Expansion[][]): Expansion[] {
    let acc: Expansion[] = [[]];
    for (const options of parts) {
        const next: Expansion[] = [];
        for (const prefix of acc) for (const option of options) next.push([...prefix, ...option]);
        acc = next.slice(0, MAX_ALTERNATIVES);
    }
    return acc;
}

function dedupe(expansions: Expansion[]): Expansion[] {
    const seen = new Set<string>();
    return expansions
        .map(normalize)
        .filter((e) => {
            const key = JSON.stringify(e);
            if (seen.has(key)) return false;
            seen.add(key);
            return true;
        })
        .slice(0, MAX_ALTERNATIVES);
}

/** Merges adjacent text pieces and drops empty ones. */
function normalize(expansion: Expansion): Expansion {
    const out: Piece[] = [];
    for (const piece of expansion) {
        if (piece === "") continue;
        const last = out[out.length - 1];
        if (typeof piece === "string" && typeof last === "string") out[out.length - 1] = last + piece;
        else out.push(piece);
    }
    return out;
}

/** Processes characters until `stop` (consumed) or the end; `raw` keeps esc characters (for patterns). */
function processUntil(s: Scanner, stop: string | undefined, lookup: Lookup, esc: string, raw = false): Expansion[] {
    const parts: Expansion[][] = [];
    let text = "";
    const flush = () => {
        if (text !== "") parts.push([[text]]);
        text = "";
    };
    for (let ch = s.peek(); ch !== undefined; ch = s.peek()) {
        if (stop !== undefined && ch === stop) {
            s.next();
            flush();
            return product(parts);
        }
        if (ch === "$") {
            flush();
            parts.push(processDollar(s, lookup, esc));
        } else if (ch === "'") {
            text += singleQuoted(s);
        } else if (ch === '"') {
            flush();
            parts.push(doubleQuoted(s, lookup, esc));
        } else {
            s.next();
            if (ch === esc) {
                if (raw) text += ch;
                const escaped = s.next();
                if (escaped === undefined) break;
                text += escaped;
            } else {
                text += ch;
            }
        }
    }
    if (stop !== undefined) throw new WordSyntaxError(`unexpected end of statement while looking for matching ${stop}`);
    flush();
    return product(parts);
}

function singleQuoted(s: Scanner): string {
    s.next();
    let text = "";
    for (;;) {
        const ch = s.next();
        if (ch === undefined) throw new WordSyntaxError("unexpected end of statement while looking for matching single-quote");
        if (ch === "'") return text;
        text += ch;
    }
}

function doubleQuoted(s: Scanner, lookup: Lookup, esc: string): Expansion[] {
    s.next();
    const parts: Expansion[][] = [];
    let text = "";
    for (;;) {
        const ch = s.peek();
        if (ch === undefined) throw new WordSyntaxError("unexpected end of statement while looking for matching double-quote");
        if (ch === '"') {
            s.next();
            if (text !== "") parts.push([[text]]);
            return product(parts);
        }
        if (ch === "$") {
            if (text !== "") parts.push([[text]]);
            text = "";
            parts.push(processDollar(s, lookup, esc));
            continue;
        }
        s.next();
        if (ch === esc) {
            const after = s.peek();
            if (after === undefined) continue;
            if (after === '"' || after === "$" || after === esc) {
                text += s.next();
                continue;
            }
        }
        text += ch;
    }
}

const SPECIAL_PARAMS = "@*#?-$!0";

function processName(s: Scanner): string {
    let name = "";
    for (let ch = s.peek(); ch !== undefined; ch = s.peek()) {
        if (name === "" && /[0-9]/.test(ch)) {
            while (s.peek() !== undefined && /[0-9]/.test(s.peek()!)) name += s.next();
            return name;
        }
        if (name === "" && SPECIAL_PARAMS.includes(ch)) return s.next()!;
        if (!/[\p{L}\p{N}_]/u.test(ch)) break;
        name += s.next();
    }
    return name;
}

/** The alternatives a variable expands to: unset → "", base → "" or the unknown value. */
function valuesOf(binding: Binding, name: string): { set: boolean; values: Expansion[] }[] {
    if (binding.kind === "unset") return [{ set: false, values: [[]] }];
    if (binding.kind === "set") return [{ set: true, values: [...binding.values] }];
    return [
        { set: false, values: [[]] },
        { set: true, values: [[{ unknown: name }]] },
    ];
}

function isEmpty(e: Expansion): boolean | undefined {
    const text = concrete(e);
    return text === undefined ? undefined : text === "";
}

function processDollar(s: Scanner, lookup: Lookup, esc: string): Expansion[] {
    s.next();
    if (s.peek() !== "{") {
        const name = processName(s);
        if (name === "") return [["$"]];
        return valuesOf(lookup(name), name).flatMap((v) => v.values);
    }
    s.next();
    const first = s.peek();
    if (first === undefined) throw new WordSyntaxError("syntax error: missing '}'");
    if (first === "{" || first === "}" || first === ":") throw new WordSyntaxError("syntax error: bad substitution");
    const name = processName(s);
    const op = s.next();
    if (op === "}") return valuesOf(lookup(name), name).flatMap((v) => v.values);
    if (op === ":" || op === "+" || op === "-" || op === "?" || op === "#" || op === "%") {
        const nullIsUnset = op === ":";
        const modifier = nullIsUnset ? s.next() : op;
        if (nullIsUnset && (modifier === "#" || modifier === "%"))
            throw new WordSyntaxError(`unsupported modifier (:${modifier}) in substitution`);
        if (modifier !== "+" && modifier !== "-" && modifier !== "?" && modifier !== "#" && modifier !== "%")
            throw new WordSyntaxError(`unsupported modifier (${op}${modifier ?? ""}) in substitution`);
        const word = processUntil(s, "}", lookup, esc, modifier === "#" || modifier === "%");
        return dedupe(applyModifier(lookup(name), name, modifier, nullIsUnset, word));
    }
    if (op === "/") {
        if (s.peek() === "/") s.next();
        processUntil(s, "/", lookup, esc, true);
        processUntil(s, "}", lookup, esc, true);
        // A pattern replacement of a known value is rare in USER; judge its result as unknown.
        return valuesOf(lookup(name), name).map((v) => (v.set ? [{ unknown: name }] : []));
    }
    throw new WordSyntaxError(`unsupported modifier (${op ?? ""}) in substitution`);
}

function applyModifier(binding: Binding, name: string, modifier: string, nullIsUnset: boolean, word: Expansion[]): Expansion[] {
    const out: Expansion[] = [];
    for (const { set, values } of valuesOf(binding, name)) {
        for (const value of values) {
            const empty = isEmpty(value);
            // An unknown value may be empty or not: both outcomes are possible.
            const unsetCases = !set ? [true] : nullIsUnset ? (empty === undefined ? [true, false] : [empty]) : [false];
            for (const treatedUnset of unsetCases) {
                if (modifier === "-") out.push(...(treatedUnset ? word : [value]));
                else if (modifier === "+") out.push(...(treatedUnset ? [[]] : word));
                else if (modifier === "?") {
                    if (treatedUnset) throw new WordSyntaxError(`${name}: is not allowed to be ${set ? "empty" : "unset"}`);
                    out.push(value);
                } else {
                    // # and % trim a pattern off a known value; an unknown value stays unknown.
                    out.push(concrete(value) === undefined ? [{ unknown: name }] : [trimPattern(concrete(value)!, word, modifier)]);
                }
            }
        }
    }
    return out;
}

/** `${v#p}` / `${v%p}` (and the greedy `##`, `%%`) on a known value; `*` and `?` wildcards. */
function trimPattern(value: string, word: Expansion[], modifier: string): string {
    let pattern = concrete(word[0] ?? []) ?? "";
    const greedy = pattern.startsWith(modifier);
    if (greedy) pattern = pattern.slice(1);
    const source = pattern.replace(/\\(.)|([*?])|([.+^${}()|[\]\\])/g, (_m, escaped, wildcard, special) =>
        escaped !== undefined ? `\\${escaped}` : wildcard === "*" ? (greedy ? ".*" : ".*?") : wildcard === "?" ? "." : `\\${special}`,
    );
    if (modifier === "#") {
        const match = new RegExp(`^(?:${source})`, "s").exec(value);
        return match ? value.slice(match[0].length) : value;
    }
    // Shortest (or longest) suffix: try every start position from the end (or the beginning).
    const anchored = new RegExp(`^(?:${source})$`, "s");
    const starts = [...Array(value.length + 1).keys()];
    for (const start of greedy ? starts : starts.reverse()) {
        if (anchored.test(value.slice(start))) return value.slice(0, start);
    }
    return value;
}
