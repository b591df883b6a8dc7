/**
 * Fields Kubernetes added after the bundled v1.22 spec that real manifests use (sidecar containers,
 * pod OS, user namespaces, scheduling gates, job failure policies, CronJob time zones, …). Applied once
 * at load so strict field validation, SSA ownership and `kubectl explain` know them. Shapes, list
 * extensions and wording follow the upstream API types; this list is deliberately small and only adds:
 * nothing bundled is changed.
 */
import type { OpenApiSchema } from './schema.js';

const str = (description: string, extra: OpenApiSchema = {}): OpenApiSchema => ({ description, type: 'string', ...extra });
const int = (description: string, format = 'int32'): OpenApiSchema => ({ description, type: 'integer', format });
const bool = (description: string): OpenApiSchema => ({ description, type: 'boolean' });
const ref = (name: string, description: string): OpenApiSchema => ({ $ref: `#/definitions/${name}`, description });
const atomicStrings = (description: string): OpenApiSchema => ({ description, type: 'array', items: { type: 'string', default: '' }, 'x-kubernetes-list-type': 'atomic' });
const C = 'io.k8s.api.core.v1.';

/** New definitions. */
export const overlayDefinitions: Record<string, OpenApiSchema> = {
  [`${C}PodOS`]: { description: 'PodOS defines the OS parameters of a pod.', type: 'object', required: ['name'], properties: { name: str('Name is the name of the operating system. The currently supported values are linux and windows.') } },
  [`${C}PodSchedulingGate`]: { description: 'PodSchedulingGate is associated to a Pod to guard its scheduling.', type: 'object', required: ['name'], properties: { name: str('Name of the scheduling gate. Each scheduling gate must have a unique name field.') } },
  [`${C}PodResourceClaim`]: {
    description: 'PodResourceClaim references exactly one ResourceClaim, either directly or by naming a ResourceClaimTemplate.', type: 'object', required: ['name'],
    properties: { name: str('Name uniquely identifies this resource claim inside the pod.'), resourceClaimName: str('ResourceClaimName is the name of a ResourceClaim object in the same namespace as this pod.'), resourceClaimTemplateName: str('ResourceClaimTemplateName is the name of a ResourceClaimTemplate object in the same namespace as this pod.') },
  },
  [`${C}ContainerResizePolicy`]: {
    description: 'ContainerResizePolicy represents resource resize policy for the container.', type: 'object', required: ['resourceName', 'restartPolicy'],
    properties: { resourceName: str('Name of the resource to which this resource resize policy applies. Supported values: cpu, memory.'), restartPolicy: str('Restart policy to apply when specified resource is resized. If not specified, it defaults to NotRequired.') },
  },
  [`${C}AppArmorProfile`]: {
    description: "AppArmorProfile defines a pod or container's AppArmor settings.", type: 'object', required: ['type'],
    properties: { type: str('type indicates which kind of AppArmor profile will be applied: Localhost, RuntimeDefault or Unconfined.'), localhostProfile: str('localhostProfile indicates a profile loaded on the node that should be used. Must be set if and only if type is "Localhost".') },
    'x-kubernetes-unions': [{ discriminator: 'type', 'fields-to-discriminateBy': { localhostProfile: 'LocalhostProfile' } }],
  },
  [`${C}SleepAction`]: { description: 'SleepAction describes a "sleep" action.', type: 'object', required: ['seconds'], properties: { seconds: int('Seconds is the number of seconds to sleep.', 'int64') } },
  [`${C}GRPCAction`]: {
    description: 'GRPCAction specifies an action involving a GRPC service.', type: 'object', required: ['port'],
    properties: { port: int('Port number of the gRPC service. Number must be in the range 1 to 65535.'), service: str('Service is the name of the service to place in the gRPC HealthCheckRequest. If this is not specified, the default behavior is defined by gRPC.', { default: '' }) },
  },
  [`${C}ImageVolumeSource`]: {
    description: 'ImageVolumeSource represents an image volume resource.', type: 'object',
    properties: { reference: str('Required: Image or artifact reference to be used.'), pullPolicy: str('Policy for pulling OCI objects: Always, Never or IfNotPresent.') },
  },
  [`${C}ResourceClaim`]: {
    description: 'ResourceClaim references one entry in PodSpec.ResourceClaims.', type: 'object', required: ['name'],
    properties: { name: str('Name must match the name of one entry in pod.spec.resourceClaims of the Pod where this field is used.'), request: str('Request is the name chosen for a request in the referenced claim.') },
  },
  'io.k8s.api.apps.v1.StatefulSetPersistentVolumeClaimRetentionPolicy': {
    description: 'StatefulSetPersistentVolumeClaimRetentionPolicy describes the policy used for PVCs created from the StatefulSet VolumeClaimTemplates.', type: 'object',
    properties: { whenDeleted: str('WhenDeleted specifies what happens to PVCs created from StatefulSet VolumeClaimTemplates when the StatefulSet is deleted: Retain (default) or Delete.'), whenScaled: str('WhenScaled specifies what happens to PVCs created from StatefulSet VolumeClaimTemplates when the StatefulSet is scaled down: Retain (default) or Delete.') },
  },
  'io.k8s.api.apps.v1.StatefulSetOrdinals': {
    description: 'StatefulSetOrdinals describes the policy used for replica ordinal assignment in this StatefulSet.', type: 'object',
    properties: { start: int('start is the number representing the first replica\'s index.') },
  },
  'io.k8s.api.batch.v1.PodFailurePolicyOnExitCodesRequirement': {
    description: 'PodFailurePolicyOnExitCodesRequirement describes the requirement for handling a failed pod based on its container exit codes.', type: 'object', required: ['operator', 'values'],
    properties: { containerName: str('Restricts the check for exit codes to the container with the specified name.'), operator: str('Represents the relationship between the container exit code(s) and the specified values: In or NotIn.'), values: { description: 'Specifies the set of values.', type: 'array', items: { type: 'integer', format: 'int32', default: 0 }, 'x-kubernetes-list-type': 'set' } },
  },
  'io.k8s.api.batch.v1.PodFailurePolicyOnPodConditionsPattern': {
    description: 'PodFailurePolicyOnPodConditionsPattern describes a pattern for matching an actual pod condition type.', type: 'object', required: ['type'],
    properties: { type: str('Specifies the required Pod condition type.'), status: str('Specifies the required Pod condition status. Defaults to True.') },
  },
  'io.k8s.api.batch.v1.PodFailurePolicyRule': {
    description: 'PodFailurePolicyRule describes how a pod failure is handled when the requirements are met.', type: 'object', required: ['action'],
    properties: {
      action: str('Specifies the action taken on a pod failure when the requirements are satisfied: FailJob, FailIndex, Ignore or Count.'),
      onExitCodes: ref('io.k8s.api.batch.v1.PodFailurePolicyOnExitCodesRequirement', 'Represents the requirement on the container exit codes.'),
      onPodConditions: { description: 'Represents the requirement on the pod conditions.', type: 'array', items: ref('io.k8s.api.batch.v1.PodFailurePolicyOnPodConditionsPattern', ''), 'x-kubernetes-list-type': 'atomic' },
    },
  },
  'io.k8s.api.batch.v1.PodFailurePolicy': {
    description: 'PodFailurePolicy describes how failed pods influence the backoffLimit.', type: 'object', required: ['rules'],
    properties: { rules: { description: 'A list of pod failure policy rules. The rules are evaluated in order.', type: 'array', items: ref('io.k8s.api.batch.v1.PodFailurePolicyRule', ''), 'x-kubernetes-list-type': 'atomic' } },
  },
  'io.k8s.api.batch.v1.SuccessPolicyRule': {
    description: 'SuccessPolicyRule describes rule for declaring a Job as succeeded.', type: 'object',
    properties: { succeededIndexes: str('succeededIndexes specifies the set of indexes which need to be contained in the actual set of the succeeded indexes for the Job.'), succeededCount: int('succeededCount specifies the minimal required size of the actual set of the succeeded indexes for the Job.') },
  },
  'io.k8s.api.batch.v1.SuccessPolicy': {
    description: 'SuccessPolicy describes when a Job can be declared as succeeded based on the success of some indexes.', type: 'object', required: ['rules'],
    properties: { rules: { description: 'rules represents the list of alternative rules for the declaring the Jobs as successful.', type: 'array', items: ref('io.k8s.api.batch.v1.SuccessPolicyRule', ''), 'x-kubernetes-list-type': 'atomic' } },
  },
};

/** New properties of existing definitions: definition → property → schema. */
export const overlayProperties: Record<string, Record<string, OpenApiSchema>> = {
  [`${C}PodSpec`]: {
    os: ref(`${C}PodOS`, 'Specifies the OS of the containers in the pod. Some pod and container fields are restricted if this is set.'),
    hostUsers: bool("Use the host's user namespace. Optional: Default to true. When set to false, a new user namespace is created for the pod."),
    schedulingGates: { description: 'SchedulingGates is an opaque list of values that if specified will block scheduling the pod.', type: 'array', items: ref(`${C}PodSchedulingGate`, ''), 'x-kubernetes-list-map-keys': ['name'], 'x-kubernetes-list-type': 'map', 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-patch-strategy': 'merge' },
    resourceClaims: { description: 'ResourceClaims defines which ResourceClaims must be allocated and reserved before the Pod is allowed to start.', type: 'array', items: ref(`${C}PodResourceClaim`, ''), 'x-kubernetes-list-map-keys': ['name'], 'x-kubernetes-list-type': 'map', 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-patch-strategy': 'merge,retainKeys' },
    resources: ref(`${C}ResourceRequirements`, 'Resources is the total amount of CPU and Memory resources required by all containers in the pod.'),
    hostnameOverride: str("HostnameOverride specifies an explicit override for the pod's hostname as perceived by the pod."),
  },
  [`${C}Container`]: {
    resizePolicy: { description: 'Resources resize policy for the container.', type: 'array', items: ref(`${C}ContainerResizePolicy`, ''), 'x-kubernetes-list-type': 'atomic' },
    restartPolicy: str('RestartPolicy defines the restart behavior of individual containers in a pod. "Always" on an init container makes it a sidecar.'),
  },
  [`${C}EphemeralContainer`]: {
    resizePolicy: { description: 'Resources resize policy for the container.', type: 'array', items: ref(`${C}ContainerResizePolicy`, ''), 'x-kubernetes-list-type': 'atomic' },
    restartPolicy: str('Restart policy for the container to manage the restart behavior of each container within a pod.'),
  },
  [`${C}SecurityContext`]: { appArmorProfile: ref(`${C}AppArmorProfile`, 'appArmorProfile is the AppArmor options to use by this container.') },
  [`${C}PodSecurityContext`]: {
    appArmorProfile: ref(`${C}AppArmorProfile`, 'appArmorProfile is the AppArmor options to use by the containers in this pod.'),
    supplementalGroupsPolicy: str('Defines how supplemental groups of the first container processes are calculated: Merge or Strict.'),
    seLinuxChangePolicy: str('seLinuxChangePolicy defines how the container\'s SELinux label is applied to all volumes used by the Pod: Recursive or MountOption.'),
  },
  [`${C}Handler`]: { sleep: ref(`${C}SleepAction`, 'Sleep represents a duration that the container should sleep.') },
  [`${C}Lifecycle`]: { stopSignal: str('StopSignal defines which signal will be sent to a container when it is being stopped.') },
  [`${C}Probe`]: { grpc: ref(`${C}GRPCAction`, 'GRPC specifies a GRPC HealthCheckRequest.') },
  [`${C}VolumeMount`]: { recursiveReadOnly: str('RecursiveReadOnly specifies whether read-only mounts should be handled recursively: Disabled, IfPossible or Enabled.') },
  [`${C}Volume`]: { image: ref(`${C}ImageVolumeSource`, 'image represents an OCI object (a container image or artifact) pulled and mounted on the kubelet\'s host machine.') },
  [`${C}ServiceSpec`]: { trafficDistribution: str('TrafficDistribution offers a way to express preferences for how traffic is distributed to Service endpoints, e.g. PreferClose.') },
  [`${C}TopologySpreadConstraint`]: {
    minDomains: int('MinDomains indicates a minimum number of eligible domains.'),
    nodeAffinityPolicy: str('NodeAffinityPolicy indicates how we will treat Pod\'s nodeAffinity/nodeSelector when calculating pod topology spread skew: Honor or Ignore.'),
    nodeTaintsPolicy: str('NodeTaintsPolicy indicates how we will treat node taints when calculating pod topology spread skew: Honor or Ignore.'),
    matchLabelKeys: atomicStrings('MatchLabelKeys is a set of pod label keys to select the pods over which spreading will be calculated.'),
  },
  [`${C}PodAffinityTerm`]: {
    matchLabelKeys: atomicStrings('MatchLabelKeys is a set of pod label keys to select which pods will be taken into consideration.'),
    mismatchLabelKeys: atomicStrings('MismatchLabelKeys is a set of pod label keys to select which pods will be taken into consideration.'),
  },
  [`${C}ResourceRequirements`]: {
    claims: { description: 'Claims lists the names of resources, defined in spec.resourceClaims, that are used by this container.', type: 'array', items: ref(`${C}ResourceClaim`, ''), 'x-kubernetes-list-map-keys': ['name'], 'x-kubernetes-list-type': 'map' },
  },
  [`${C}LoadBalancerIngress`]: { ipMode: str('IPMode specifies how the load-balancer IP behaves: VIP or Proxy.') },
  'io.k8s.api.batch.v1.CronJobSpec': { timeZone: str('The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones.') },
  'io.k8s.api.batch.v1.JobSpec': {
    podFailurePolicy: ref('io.k8s.api.batch.v1.PodFailurePolicy', 'Specifies the policy of handling failed pods.'),
    successPolicy: ref('io.k8s.api.batch.v1.SuccessPolicy', 'successPolicy specifies the policy when the Job can be declared as succeeded.'),
    backoffLimitPerIndex: int('Specifies the limit for the number of retries within an index before marking this index as failed.'),
    maxFailedIndexes: int('Specifies the maximal number of failed indexes before marking the Job as failed.'),
    podReplacementPolicy: str('podReplacementPolicy specifies when to create replacement Pods: TerminatingOrFailed or Failed.'),
    managedBy: str('ManagedBy field indicates the controller that manages a Job.'),
  },
  'io.k8s.api.apps.v1.StatefulSetSpec': {
    persistentVolumeClaimRetentionPolicy: ref('io.k8s.api.apps.v1.StatefulSetPersistentVolumeClaimRetentionPolicy', 'persistentVolumeClaimRetentionPolicy describes the lifecycle of persistent volume claims created from volumeClaimTemplates.'),
    ordinals: ref('io.k8s.api.apps.v1.StatefulSetOrdinals', 'ordinals controls the numbering of replica indices in a StatefulSet.'),
  },
  'io.k8s.api.apps.v1.DeploymentStatus': { terminatingReplicas: int('Total number of terminating pods targeted by this deployment.') },
  'io.k8s.api.apps.v1.ReplicaSetStatus': { terminatingReplicas: int('The number of terminating pods for this replica set.') },
  'io.k8s.api.policy.v1.PodDisruptionBudgetSpec': { unhealthyPodEvictionPolicy: str('UnhealthyPodEvictionPolicy defines the criteria for when unhealthy pods should be considered for eviction: IfHealthyBudget or AlwaysAllow.') },
};

export function applyOverlay(definitions: Record<string, OpenApiSchema>): void {
  for (const [name, def] of Object.entries(overlayDefinitions)) if (!definitions[name]) definitions[name] = def;
  for (const [name, props] of Object.entries(overlayProperties)) {
    const def = definitions[name];
    if (!def) continue;
    def.properties ??= {};
    for (const [p, s] of Object.entries(props)) if (!def.properties[p]) def.properties[p] = s;
  }
}
