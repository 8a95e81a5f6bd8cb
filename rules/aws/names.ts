/** Account-unique names of the AWS flavour. */
import type { AwsRuntime } from "../profile";

/**
 * Names that must be unique in an account (or region): each carries the stack, so staging and
 * production of one project can share an account. `base` is `<service>-<stack>` (≤ 40 characters).
 */
export function awsNames(base: string) {
    return {
        repository: base,
        cluster: base,
        service: base,
        function: base,
        logGroup: (runtime: AwsRuntime) => (runtime === "lambda" ? `/aws/lambda/${base}` : `/runway/${base}`),
        cache: base.slice(0, 40).replace(/-+$/, ""),
        container: "app",
    };
}
