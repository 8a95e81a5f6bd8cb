/**
 * What every Runway component shares: its type token, children named `<name>-<role>` and parented
 * to it, the managed-by label, argument keys in error messages (`Service(web).port`), and children
 * keyed by value for list arguments (members, emails), with aliases from the positions earlier
 * releases named them by.
 */
import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { Problem, throwIfProblems } from "../rules/problems";

/** The label (GCP) or tag (AWS) on every resource Runway creates that takes one. */
export const MANAGED_BY: Readonly<Record<string, string>> = { "managed-by": "runway" };

/** The key naming argument `arg` of component `kind` named `name` in an error: `Service(web).port`. */
export function argKey(kind: string, name: string, arg: string): string {
    return `${kind}(${name}).${arg}`;
}

/**
 * A Runway component: a `runway:<module>:<Type>` ComponentResource whose children are `<name>-<role>`.
 *
 * @example
 * class Bucket extends RunwayComponent {
 *     constructor(name: string, args: BucketArgs, opts?: pulumi.ComponentResourceOptions) {
 *         super("runway:gcp:Bucket", name, opts);
 *         this.refuse(problemIf(args.days < 1, this.argKey("days"), args.days, "at least 1 day"));
 *         new gcp.storage.Bucket(this.childName("bucket"), { labels: MANAGED_BY, ... }, this.childOpts());
 *     }
 * }
 */
export abstract class RunwayComponent extends pulumi.ComponentResource {
    /** The component's name: the prefix of every child's name. */
    protected readonly baseName: string;
    /** The type token, e.g. `runway:gcp:Service`. */
    private readonly typeToken: string;

    constructor(type: string, name: string, opts?: pulumi.ComponentResourceOptions) {
        super(type, name, {}, opts);
        this.baseName = name;
        this.typeToken = type;
    }

    /** A child's name: `<name>-<role>`. */
    protected childName(role: string): string {
        return `${this.baseName}-${role}`;
    }

    /** Options of a child: parented to this component, plus `extra`. */
    protected childOpts(extra: pulumi.CustomResourceOptions = {}): pulumi.CustomResourceOptions {
        return { ...extra, parent: this };
    }

    /** The key naming one of this component's arguments in an error: `Service(web).port`. */
    protected argKey(arg: string): string {
        return argKey(this.typeToken.split(":").pop() ?? this.typeToken, this.baseName, arg);
    }

    /** Throws one error listing every problem, before any child is created. */
    protected refuse(problems: readonly Problem[]): void {
        throwIfProblems(`Invalid arguments for ${this.typeToken} "${this.baseName}"`, problems);
    }
}

/** A short, stable digest of a list entry: its child's key. The value itself (an email may be a secret) never enters a URN. */
export function entryKey(value: string): string {
    return createHash("sha256").update(value).digest("hex").slice(0, 8);
}

/** One child to create per list entry: its name and the alias from its position-named predecessor. */
export interface KeyedEntry<T> {
    readonly entry: T;
    readonly name: string;
    readonly aliases: pulumi.Alias[];
}

/**
 * The children of a list argument, keyed by value: `<base>-<digest of the entry>`, so removing or
 * reordering entries leaves the others untouched. Each carries an alias from `<base>-<index>`, the
 * name releases before 0.2 gave it, so an existing stack replaces nothing when it upgrades (upgrade
 * with the list unchanged, then edit it). An entry that is not a plain string (an Output) cannot be
 * keyed before deployment: it keeps its positional name. Repeated plain entries are created once.
 */
export function keyedEntries<T extends pulumi.Input<string>>(base: string, entries: readonly T[]): KeyedEntry<T>[] {
    const seen = new Set<string>();
    return entries.flatMap((entry, index): KeyedEntry<T>[] => {
        if (typeof entry !== "string") return [{ entry, name: `${base}-${index}`, aliases: [] }];
        if (seen.has(entry)) return [];
        seen.add(entry);
        return [{ entry, name: `${base}-${entryKey(entry)}`, aliases: [{ name: `${base}-${index}` }] }];
    });
}
