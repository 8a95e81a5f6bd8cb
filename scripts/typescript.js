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
        const text = host.readFile(fileName);
        // A file whose text changed since it was parsed (a test rewriting its project) is parsed again.
        const earlier = parsed.get(key);
        let file = take(earlier !== undefined && earlier.text === text ? earlier : undefined, key);
        if (file === undefined && fileName.endsWith(".d.ts") && text !== undefined) {
            const byText = `${shape}\0${crypto.createHash("sha256").update(text).digest("base64")}`;
            file = take(declarations.get(byText), key);
            if (file === undefined) {
                file = take(ts.createSourceFile(fileName, text, languageVersionOrOptions), key);
                if (!declarations.has(byText)) declarations.set(byText, file);
            }
        }
        file ??= take(read(fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile), key);
        if (file) parsed.set(key, file);
        return file;
    };
    return host;
}

/** A tsconfig.json as tsc reads it (its own `extends`, `include` and options), with `overrides`. */
function parseConfig(tsconfig, overrides = {}) {
    const config = ts.getParsedCommandLineOfConfigFile(tsconfig, overrides, {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => {
            throw new Error(format([d]));
        },
    });
    if (config.errors.length > 0) throw new Error(format(config.errors));
    return config;
}

/** The program of a tsconfig.json, on the shared host. */
function programOf(tsconfig, overrides = {}) {
    const config = parseConfig(tsconfig, overrides);
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

/** Options that only say what to emit and where: a build and a check may differ in them and still type alike. */
const EMIT_ONLY = ["noEmit", "declaration", "outDir", "rootDir", "sourceMap", "types", "configFilePath", "pathsBasePath"];

const withoutEmitOptions = (options) =>
    JSON.stringify(
        Object.fromEntries(
            Object.entries(options)
                .filter(([k]) => !EMIT_ONLY.includes(k))
                .sort(([a], [b]) => a.localeCompare(b)),
        ),
    );

/**
 * `tsc -p build` and `tsc --noEmit -p check` from ONE program, when the check's files include the
 * build's and their options differ only in what to emit and in `types`: the check's files are checked
 * once (about 8 CPU seconds less than two programs) and the build's emitted from that program (the
 * same files, byte for byte). A global only the check's extra `types` declare (mocha's `describe`)
 * used by a build file is an error of the build, as it is for the build's own program. Otherwise
 * two programs, as before. Returns each one's diagnostics, formatted ("" when there is none).
 */
function compileWithin(buildTsconfig, checkTsconfig) {
    const build = parseConfig(buildTsconfig);
    const check = parseConfig(checkTsconfig);
    const checked = new Set(check.fileNames.map((f) => path.resolve(f)));
    const buildTypes = build.options.types;
    const extraTypes = (check.options.types ?? []).filter((t) => !(buildTypes ?? []).includes(t));
    const shareable =
        build.fileNames.every((f) => checked.has(path.resolve(f))) &&
        buildTypes !== undefined &&
        check.options.types !== undefined &&
        buildTypes.every((t) => check.options.types.includes(t)) &&
        withoutEmitOptions(build.options) === withoutEmitOptions(check.options);
    if (!shareable) return { build: compile(buildTsconfig), check: typeCheck(checkTsconfig) };
    const options = { ...check.options, ...pick(build.options, ["noEmit", "declaration", "outDir", "rootDir", "sourceMap"]) };
    const program = ts.createProgram({ rootNames: check.fileNames, options, host: sharedHost(options) });
    const whole = [...program.getConfigFileParsingDiagnostics(), ...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
    const buildFiles = new Set(build.fileNames.map((f) => path.resolve(f)));
    const own = program.getSourceFiles().filter((f) => buildFiles.has(path.resolve(f.fileName)));
    const fileDiagnostics = (f) => [...program.getSyntacticDiagnostics(f), ...program.getSemanticDiagnostics(f)];
    const emitted = own.flatMap((f) => program.emit(f).diagnostics);
    return {
        build: format([...whole, ...own.flatMap(fileDiagnostics), ...emitted, ...globalsFrom(program, own, extraTypes)]),
        check: format([...whole, ...program.getSourceFiles().flatMap(fileDiagnostics)]),
    };
}

function pick(from, keys) {
    return Object.fromEntries(keys.filter((k) => from[k] !== undefined).map((k) => [k, from[k]]));
}

/**
 * Uses in `files` of a global that only the type packages `types` declare (as `tsc` reports them
 * when the package is not loaded: TS2304 "Cannot find name"), unless a file references the package
 * itself (`/// <reference types>`, which loads it in any program).
 */
function globalsFrom(program, files, types) {
    if (types.length === 0 || files.some((f) => f.typeReferenceDirectives.some((r) => types.includes(r.fileName)))) return [];
    const inTypes = (file) => types.some((t) => file.includes(`/node_modules/@types/${t}/`));
    const typeFiles = new Set(program.getSourceFiles().filter((f) => inTypes(f.fileName.replace(/\\/g, "/"))));
    const names = new Set([...typeFiles].flatMap(globalNames));
    if (names.size === 0) return [];
    const checker = program.getTypeChecker();
    const mentions = new RegExp(`\\b(?:${[...names].map((n) => n.replace(/\$/g, "\\$")).join("|")})\\b`);
    const found = [];
    for (const file of files) {
        if (!mentions.test(file.text)) continue;
        const visit = (node) => {
            if (ts.isIdentifier(node) && names.has(node.text)) {
                const declarations = checker.getSymbolAtLocation(node)?.declarations ?? [];
                if (declarations.length > 0 && declarations.every((d) => typeFiles.has(d.getSourceFile())))
                    found.push({
                        file,
                        start: node.getStart(file),
                        length: node.getWidth(file),
                        category: ts.DiagnosticCategory.Error,
                        code: 2304,
                        messageText: `Cannot find name '${node.text}': only ${types.map((t) => `@types/${t}`).join(", ")} declare${types.length === 1 ? "s" : ""} it, which this build does not load ("types")`,
                    });
            }
            ts.forEachChild(node, visit);
        };
        visit(file);
    }
    return found;
}

/** The global names a declaration file declares: its top level when it is a script, its `declare global` blocks. */
function globalNames(file) {
    const named = (statement) => {
        if (ts.isVariableStatement(statement)) return statement.declarationList.declarations.map((d) => d.name.getText(file));
        if (ts.isModuleDeclaration(statement) && !ts.isIdentifier(statement.name)) return [];
        return statement.name && ts.isIdentifier(statement.name) ? [statement.name.text] : [];
    };
    const globalBlocks = file.statements.filter(
        (s) => ts.isModuleDeclaration(s) && ts.isIdentifier(s.name) && s.name.text === "global" && s.body && ts.isModuleBlock(s.body),
    );
    return [
        ...(ts.isExternalModule(file) ? [] : file.statements.flatMap(named)),
        ...globalBlocks.flatMap((g) => g.body.statements.flatMap(named)),
    ].filter((n) => n !== "global");
}

module.exports = { compile, compileWithin, typeCheck };
