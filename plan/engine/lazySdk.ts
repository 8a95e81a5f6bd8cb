/**
 * Loading `@pulumi/pulumi` loads, through its closure serializer, TypeScript (to parse function
 * bodies) and npm's Arborist (to find a function's packages): about 0.9 s of the SDK's 1.3 s, spent
 * by every plan although only a program that serializes a function (`CallbackFunction`, dynamic
 * providers) ever uses them. Installed first thing in a process (the `runway` command, `npm run plan`,
 * the test runner), this defers the two until the serializer first touches them; they then load as
 * before. Applies to every copy of the SDK (a program may have its own).
 */
import Module = require("module");

const CLOSURE = /[\\/]@pulumi[\\/]pulumi[\\/]runtime[\\/]closure[\\/]/;
const DEFERRED = new Set(["@npmcli/arborist", "../../typescript-shim"]);
const INSTALLED = Symbol.for("runway.lazy-sdk.installed");

type Load = (request: string, parent: NodeJS.Module | undefined, isMain: boolean) => unknown;

/** Defers the closure serializer's heavy dependencies in this process (idempotent). */
export function deferClosureDependencies(): void {
    const registry = process as unknown as Record<symbol, boolean>;
    if (registry[INSTALLED]) return;
    registry[INSTALLED] = true;
    const loader = Module as unknown as { _load: Load };
    const load = loader._load;
    loader._load = function (this: unknown, request, parent, isMain) {
        if (!parent || !DEFERRED.has(request) || !CLOSURE.test(parent.filename)) return load.call(this, request, parent, isMain);
        let real: object | undefined;
        const target = () => (real ??= load.call(this, request, parent, isMain) as object);
        // Marked as an ES module so the SDK's `__importStar` keeps the proxy instead of copying its keys.
        return new Proxy(
            {},
            {
                get: (_, key) => (key === "__esModule" ? true : Reflect.get(target(), key)),
                has: (_, key) => Reflect.has(target(), key),
                ownKeys: () => Reflect.ownKeys(target()),
                getOwnPropertyDescriptor: (_, key) => {
                    const d = Reflect.getOwnPropertyDescriptor(target(), key);
                    return d && { ...d, configurable: true };
                },
            },
        );
    };
}

deferClosureDependencies();
