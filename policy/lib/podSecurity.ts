/**
 * What lets a Kubernetes pod reach past its container, per the Pod Security Standards "baseline"
 * level (kubernetes.io/docs/concepts/security/pod-security-standards): privileged containers, the
 * host's network / PID / IPC namespaces, host paths, host ports, and added capabilities beyond the
 * baseline's allowed list. Pure: reads a pod spec (workloads.ts `kubernetesPodSpec`).
 */

/** Capabilities the baseline level allows a container to add (the container runtime's defaults). */
export const BASELINE_CAPABILITIES = [
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

type Props = Record<string, any>;

/** Each way the pod breaks out of its sandbox, as a sentence naming the field. */
export function podSecurityProblems(spec: Props, allowedCapabilities: readonly string[] = BASELINE_CAPABILITIES): string[] {
    const problems: string[] = [];
    for (const ns of ["hostNetwork", "hostPID", "hostIPC"] as const)
        if (spec[ns] === true) problems.push(`${ns}: true shares the node's ${ns.slice(4)} namespace`);
    for (const v of Array.isArray(spec.volumes) ? spec.volumes : [])
        if (v?.hostPath) problems.push(`volume "${v.name}" mounts the node's ${v.hostPath.path ?? "filesystem"} (hostPath)`);
    const containers: Props[] = [
        ...(Array.isArray(spec.initContainers) ? spec.initContainers : []),
        ...(Array.isArray(spec.containers) ? spec.containers : []),
        ...(Array.isArray(spec.ephemeralContainers) ? spec.ephemeralContainers : []),
    ];
    for (const c of containers) {
        const ctx = c?.securityContext ?? {};
        if (ctx.privileged === true) problems.push(`container "${c.name}" is privileged (securityContext.privileged: true)`);
        const added: unknown[] = Array.isArray(ctx.capabilities?.add) ? ctx.capabilities.add : [];
        const beyond = added.filter((cap) => typeof cap === "string" && !allowedCapabilities.includes(cap.replace(/^CAP_/, "")));
        if (beyond.length > 0) problems.push(`container "${c.name}" adds capabilities ${beyond.join(", ")}`);
        for (const p of Array.isArray(c.ports) ? c.ports : [])
            if (typeof p?.hostPort === "number" && p.hostPort > 0) problems.push(`container "${c.name}" binds host port ${p.hostPort}`);
    }
    return problems;
}
