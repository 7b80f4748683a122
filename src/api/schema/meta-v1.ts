// The meta/v1 types every API object shares: object and list metadata, owner references, managed fields, label
// selectors, Status, DeleteOptions, conditions, discovery documents and watch events.
// Field names, protobuf numbers, patch and list markers follow k8s.io/api v0.33 (Kubernetes 1.33).
import type { TypeDefs } from './model.ts';
import { META, field, arrayOf, mapOf, mergeList, objectHeader, ref } from './model.ts';

const meta = (name: string) => ref(`${META}.${name}`);
/** apiVersion and kind of objects that carry no metadata of their own. */
const { apiVersion, kind } = objectHeader();

export const metaV1Types: TypeDefs = {
  'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': {
    description: 'Metadata every persisted object carries: identity, labels and annotations, ownership, finalizers and bookkeeping set by the server.',
    fields: {
      name: field('string', 1, 'Name of the object, unique within its namespace (or cluster-wide for cluster-scoped kinds). Cannot be changed after creation.'),
      generateName: field('string', 2, 'Prefix the server uses to generate a unique name when name is empty; a random suffix is appended.'),
      namespace: field('string', 3, 'Namespace the object lives in; empty means "default" for namespaced kinds and must stay empty for cluster-scoped ones.'),
      selfLink: field('string', 4, 'Deprecated and no longer set by the server.'),
      uid: field('string', 5, 'Unique identifier the server assigns at creation; never reused, even after the object is deleted and recreated with the same name.'),
      resourceVersion: field('string', 6, 'Opaque version of this object, changed on every write; clients send it back for optimistic concurrency and use it to resume watches.'),
      generation: field('int64', 7, 'Sequence number of changes to the desired state, maintained by the server.'),
      creationTimestamp: field('date-time', 8, 'When the server created the object (RFC 3339). Read-only.'),
      deletionTimestamp: field('date-time', 9, 'When the object will be (or began being) deleted. Set by the server on a graceful delete request; read-only.'),
      deletionGracePeriodSeconds: field('int64', 10, 'Seconds the object is allowed to terminate gracefully before removal; set together with deletionTimestamp.'),
      labels: field(mapOf('string'), 11, 'Key/value pairs used to organise and select objects.'),
      annotations: field(mapOf('string'), 12, 'Arbitrary key/value metadata for tools and controllers; not used for selection.'),
      ownerReferences: mergeList(meta('OwnerReference'), 13, 'Objects this object depends on; when every owner is gone the garbage collector deletes it.', 'uid'),
      finalizers: field(arrayOf('string'), 14, 'Names of pending cleanup steps; the object is not removed from storage until this list is empty.', { patchStrategy: 'merge', listType: 'set' }),
      managedFields: field(arrayOf(meta('ManagedFieldsEntry')), 17, 'Which field manager owns which fields, as recorded by server-side apply. Mostly for internal use.', { listType: 'atomic' }),
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta': {
    description: "Metadata of a list response: the collection's version and how to continue a paginated listing.",
    fields: {
      selfLink: field('string', 1, 'Deprecated and no longer set by the server.'),
      resourceVersion: field('string', 2, 'Version of the collection at the time of the list; a watch started from it sees every later change.'),
      continue: field('string', 3, 'Token for fetching the next page of a limited list; empty when no more items remain. It can expire.'),
      remainingItemCount: field('int64', 4, 'Approximate number of items after this page when paginating; unset when the count is unknown or exact listing was not requested.'),
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference': {
    description: 'Identifies an owning object in the same namespace (or a cluster-scoped one).',
    structType: 'atomic',
    fields: {
      apiVersion: field('string', 5, 'API version of the owner.', { required: true }),
      kind: field('string', 1, 'Kind of the owner.', { required: true }),
      name: field('string', 3, 'Name of the owner.', { required: true }),
      uid: field('string', 4, 'UID of the owner.', { required: true }),
      controller: field('boolean', 6, 'True when this owner is the managing controller; at most one owner reference may set it.'),
      blockOwnerDeletion: field('boolean', 7, 'When true, foreground deletion of the owner waits until this dependent is removed.'),
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry': {
    description: 'The set of fields one field manager owns, for one operation and API version.',
    fields: {
      manager: field('string', 1, 'Name of the field manager (the workflow that wrote these fields).'),
      operation: field('string', 2, 'Kind of write that produced this entry: Apply or Update.'),
      apiVersion: field('string', 3, 'API version the field set is expressed in.'),
      time: field('date-time', 4, 'When these fields last changed owner or value.'),
      fieldsType: field('string', 6, 'Format of the field set; only FieldsV1 is defined.'),
      fieldsV1: field('any', 7, 'The owned fields, as a nested set in the FieldsV1 format.'),
      subresource: field('string', 8, 'Subresource through which the write was made, empty for the main resource.'),
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector': {
    description: 'Selects objects by their labels; all given requirements must hold. An empty selector matches everything, a null one nothing.',
    structType: 'atomic',
    fields: {
      matchLabels: field(mapOf('string'), 1, 'Labels that must all be present with exactly these values.'),
      matchExpressions: field(arrayOf(meta('LabelSelectorRequirement')), 2, 'Further set-based requirements that must all hold.', { listType: 'atomic' }),
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement': {
    description: 'One set-based label requirement: a key, an operator and values.',
    fields: {
      key: field('string', 1, 'Label key the requirement applies to.', { required: true }),
      operator: field('string', 2, 'One of In, NotIn, Exists, DoesNotExist.', { required: true }),
      values: field(arrayOf('string'), 3, 'Values for In and NotIn (must be non-empty); must be empty for Exists and DoesNotExist.', { listType: 'atomic' }),
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.Status': {
    description: 'Result of an API call that returns no object, most often an error.',
    gvk: [{ group: '', version: 'v1', kind: 'Status' }],
    fields: {
      apiVersion, kind,
      metadata: field(meta('ListMeta'), 1, 'Standard list metadata.'),
      status: field('string', 2, 'Success or Failure.'),
      message: field('string', 3, 'Human-readable explanation of the result.'),
      reason: field('string', 4, 'Machine-readable cause of a failure, such as NotFound or AlreadyExists; empty when nothing more is known.'),
      details: field(meta('StatusDetails'), 5, 'Extra data about the cause, depending on reason.'),
      code: field('int32', 6, 'HTTP status code of the result, if set.'),
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.StatusDetails': {
    description: 'Extra data about a failure, such as the object involved and the fields at fault.',
    fields: {
      name: field('string', 1, 'Name of the object the failure concerns, when there is one.'),
      group: field('string', 2, 'API group of the object concerned.'),
      kind: field('string', 3, 'Kind of the object concerned.'),
      uid: field('string', 6, 'UID of the object concerned, when known.'),
      causes: field(arrayOf(meta('StatusCause')), 4, 'Individual causes, for example each invalid field.', { listType: 'atomic' }),
      retryAfterSeconds: field('int32', 5, 'Seconds the client should wait before retrying, when the failure is temporary.'),
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.StatusCause': {
    description: 'One cause of a failure, often naming the field involved.',
    fields: {
      reason: field('string', 1, 'Machine-readable reason, such as FieldValueInvalid.'),
      message: field('string', 2, 'Human-readable description of this cause.'),
      field: field('string', 3, 'Path of the field at fault, such as spec.containers[0].name.'),
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions': {
    description: 'Options of a delete request.',
    gvk: [{ group: '', version: 'v1', kind: 'DeleteOptions' }],
    fields: {
      apiVersion, kind,
      gracePeriodSeconds: field('int64', 1, "Seconds to allow for graceful termination before the object is deleted; zero means immediately. Unset uses the kind's default."),
      preconditions: field(meta('Preconditions'), 2, 'Conditions that must hold for the deletion to proceed.'),
      orphanDependents: field('boolean', 3, 'Deprecated: whether dependents should be orphaned. Use propagationPolicy instead.'),
      propagationPolicy: field('string', 4, 'How dependents are handled: Orphan, Background or Foreground.'),
      dryRun: field(arrayOf('string'), 5, 'When present, process the request fully but persist nothing. The only accepted value is All.', { listType: 'atomic' }),
      ignoreStoreReadErrorWithClusterBreakingPotential: field('boolean', 6, 'Deletes an object whose stored data cannot be read or decoded, skipping finalizers and checks. Dangerous; needs its own authorization.'),
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.Preconditions': {
    description: 'Conditions an object must meet before an operation is carried out.',
    fields: {
      uid: field('string', 1, 'The object must have this UID.'),
      resourceVersion: field('string', 2, 'The object must be at this resource version.'),
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.Condition': {
    description: "One aspect of an object's current state, in the standard condition shape.",
    fields: {
      type: field('string', 1, 'Type of condition, in CamelCase or as domain/Type.', { required: true }),
      status: field('string', 2, 'True, False or Unknown.', { required: true }),
      observedGeneration: field('int64', 3, 'The metadata.generation the condition was computed from.'),
      lastTransitionTime: field('date-time', 4, 'When status last changed.', { required: true }),
      reason: field('string', 5, 'Programmatic CamelCase identifier of why the condition is as it is.', { required: true }),
      message: field('string', 6, 'Human-readable details of the transition.', { required: true }),
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.APIResource': {
    description: 'A resource offered by an API group version, as listed by discovery.',
    fields: {
      name: field('string', 1, 'Plural resource name, possibly with a subresource after a slash (pods/log).', { required: true }),
      singularName: field('string', 6, 'Singular resource name, as used by kubectl.', { required: true }),
      namespaced: field('boolean', 2, 'Whether objects of this resource live in namespaces.', { required: true }),
      group: field('string', 8, 'Preferred group of the resource, when it differs from the containing group.'),
      version: field('string', 9, 'Preferred version of the resource, when it differs from the containing version.'),
      kind: field('string', 3, 'Kind of the objects the resource serves.', { required: true }),
      verbs: field(arrayOf('string'), 4, 'Verbs the resource supports: get, list, watch, create, update, patch, delete, deletecollection, proxy.', { required: true }),
      shortNames: field(arrayOf('string'), 5, 'Short aliases, such as po for pods.', { listType: 'atomic' }),
      categories: field(arrayOf('string'), 7, 'Groups of resources this one belongs to, such as all.', { listType: 'atomic' }),
      storageVersionHash: field('string', 10, 'Hash of the version objects are stored in; changes when the storage version changes.'),
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.APIResourceList': {
    description: 'The resources of one API group version, as served by discovery.',
    fields: {
      apiVersion, kind,
      groupVersion: field('string', 1, 'The group/version these resources belong to.', { required: true }),
      resources: field(arrayOf(meta('APIResource')), 2, 'The resources and whether they are namespaced.', { required: true, listType: 'atomic' }),
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.APIGroup': {
    description: 'An API group with its versions, as served by discovery.',
    fields: {
      apiVersion, kind,
      name: field('string', 1, 'Name of the group.', { required: true }),
      versions: field(arrayOf(meta('GroupVersionForDiscovery')), 2, 'Versions the group serves.', { required: true, listType: 'atomic' }),
      preferredVersion: field(meta('GroupVersionForDiscovery'), 3, 'Version clients should use when they have no preference.'),
      serverAddressByClientCIDRs: field(arrayOf(meta('ServerAddressByClientCIDR')), 4, 'Server addresses to use per client network, so clients can reach the most efficient address.', { listType: 'atomic' }),
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.APIGroupList': {
    description: 'Every API group the server serves.',
    fields: {
      apiVersion, kind,
      groups: field(arrayOf(meta('APIGroup')), 1, 'The groups.', { required: true, listType: 'atomic' }),
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.APIVersions': {
    description: 'The versions of the legacy core API served under /api.',
    fields: {
      apiVersion, kind,
      versions: field(arrayOf('string'), 1, 'The served versions.', { required: true, listType: 'atomic' }),
      serverAddressByClientCIDRs: field(arrayOf(meta('ServerAddressByClientCIDR')), 2, 'Server addresses to use per client network, so clients can reach the most efficient address.', { required: true, listType: 'atomic' }),
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.GroupVersionForDiscovery': {
    description: 'One version of an API group.',
    fields: {
      groupVersion: field('string', 1, 'The version as group/version.', { required: true }),
      version: field('string', 2, 'The version alone, such as v1.', { required: true }),
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.ServerAddressByClientCIDR': {
    description: 'The server address a client in a given network should use.',
    fields: {
      clientCIDR: field('string', 1, 'Network the client address must belong to for this entry to apply.', { required: true }),
      serverAddress: field('string', 2, 'Address (host or host:port) the client should use.', { required: true }),
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent': {
    description: 'One event of a watch stream.',
    gvk: [{ group: '', version: 'v1', kind: 'WatchEvent' }],
    fields: {
      type: field('string', 1, 'ADDED, MODIFIED, DELETED, BOOKMARK or ERROR.', { required: true }),
      object: field('any', 2, 'The object as of the event: the new state for additions and changes, the last state for deletions, a Status for errors.', { required: true }),
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.FieldSelectorRequirement': {
    description: 'One requirement on a field value: a field path, an operator and values.',
    fields: {
      key: field('string', 1, 'Field path the requirement applies to.', { required: true }),
      operator: field('string', 2, 'One of In, NotIn, Exists, DoesNotExist.', { required: true }),
      values: field(arrayOf('string'), 3, 'Values for In and NotIn (must be non-empty); must be empty for Exists and DoesNotExist.', { listType: 'atomic' }),
    },
  },
};
