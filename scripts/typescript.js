// TypeScript programs that share parsed files within one process. The strict type-check, the build and
// the consumer's check each read the @pulumi/* declarations (about 1.7 million lines): through one
// host they are parsed and bound once, as the TypeScript language service shares them between
// programs; the consumer's installed copies (other paths, same text) share them too. Only within the
// process: nothing is kept between runs.
"use strict";
const crypto = require("crypto");
const path = require("path");
const ts = require("typescript");

/** Parsed files by name and the options that shape a parse (target, module format, JSDoc mode). */
const parsed = new Map();
/**
 * Parsed declaration files by their text (and shape): a package installed again elsewhere (the
 * consumer's hard-linked or npm-installed copy of a provider) is the same parse under another name.
 */
const declarations = new Map();

/** A compiler host for `options` whose source files come from (and go to) the shared caches. */
function sharedHost(options) {
    const host = ts.createCompilerHost(options);
    // As tsc parses (its default since TypeScript 5.3): JSDoc only where it can raise a type error
    // (JavaScript files, @see/@link). The @pulumi/* declarations are mostly JSDoc; skipping it parses
    // them in 60% of the time, with the same diagnostics and the same emitted files.
    host.jsDocParsingMode = ts.JSDocParsingMode.ParseForTypeErrors;
    const read = host.getSourceFile.bind(host);
    // A program names each file it adds (file.fileName, file.path): one parse serves one name per program.
    const namedAs = new Map();
    const take = (file, key) => {
        if (file === undefined || (namedAs.has(file) && namedAs.get(file) !== key)) return undefined;
        namedAs.set(file, key);
        return file;
    };
    host.getSourceFile = (fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile) => {
        const shape = (
            typeof languageVersionOrOptions === "object"
                ? [
                      languageVersionOrOptions.languageVersion,
                      languageVersionOrOptions.impliedNodeFormat,
                      languageVersionOrOptions.jsDocParsingMode,
                  ]
                : [languageVersionOrOptions]
        ).join(",");
        const key = `${path.resolve(fileName)}\0${shape}`;
        if (shouldCreateNewSourceFile) return read(fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile);
        let file = take(parsed.get(key), key);
        if (file === undefined && fileName.endsWith(".d.ts")) {
            const text = host.readFile(fileName);
            if (text !== undefined) {
                const byText = `${shape}\0${crypto.createHash("sha256").update(text).digest("base64")}`;
                file = take(declarations.get(byText), key);
                if (file === undefined) {
                    file = take(ts.createSourceFile(fileName, text, languageVersionOrOptions), key);
                    if (!declarations.has(byText)) declarations.set(byText, file);
                }
            }
        }
        file ??= take(read(fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile), key);
        if (file) parsed.set(key, file);
        return file;
    };
    return host;
}

/** The program of a tsconfig.json (its own `extends`, `include` and options), on the shared host. */
function programOf(tsconfig, overrides = {}) {
    const config = ts.getParsedCommandLineOfConfigFile(tsconfig, overrides, {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => {
            throw new Error(format([d]));
        },
    });
    if (config.errors.length > 0) throw new Error(format(config.errors));
    return ts.createProgram({
        rootNames: config.fileNames,
        options: config.options,
        projectReferences: config.projectReferences,
        host: sharedHost(config.options),
    });
}

/** Diagnostics as tsc prints them (file(line,col): error TS…: message), one per line. */
function format(diagnostics) {
    return ts.formatDiagnostics(diagnostics, {
        getCanonicalFileName: (f) => f,
        getCurrentDirectory: () => process.cwd(),
        getNewLine: () => "\n",
    });
}

/** `tsc --noEmit -p tsconfig`: every diagnostic, formatted ("" when there is none). */
function typeCheck(tsconfig, overrides = {}) {
    return format(ts.getPreEmitDiagnostics(programOf(tsconfig, { ...overrides, noEmit: true })));
}

/** `tsc -p tsconfig`: emits, and returns every diagnostic, formatted ("" when there is none). */
function compile(tsconfig) {
    const program = programOf(tsconfig);
    const emitted = program.emit();
    return format([...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics]);
}

module.exports = { compile, typeCheck };
