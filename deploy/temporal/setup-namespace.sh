#!/bin/sh
# One-shot (temporalio/admin-tools, or anywhere the `temporal` CLI is installed): waits for the
# Temporal frontend, creates the namespace if it is missing, and registers the remediation's
# search attributes (MoovAccountID, RemediationPhase: Keyword; RemediationPhaseChangedAt:
# Datetime; the list is src/domain/search-attributes.ts's SEARCH_ATTRIBUTES). Idempotent: an
# existing namespace or attribute is left as it is, so it runs on every `docker compose up`.
#
#   TEMPORAL_ADDRESS=temporal:7233 TEMPORAL_NAMESPACE=default sh setup-namespace.sh
set -eu

ADDRESS="${TEMPORAL_ADDRESS:-temporal:7233}"
NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
RETENTION="${TEMPORAL_NAMESPACE_RETENTION:-30d}"
ATTEMPTS="${SETUP_ATTEMPTS:-60}"
# NAME:TYPE, TYPE as `temporal operator search-attribute create --type` takes it.
SEARCH_ATTRIBUTES="MoovAccountID:Keyword RemediationPhase:Keyword RemediationPhaseChangedAt:Datetime"

retry() {
  # retry <what> <command...>: until it succeeds, at most ATTEMPTS times, 2 s apart
  what="$1"; shift
  n=1
  until "$@" >/dev/null 2>&1; do
    if [ "$n" -ge "$ATTEMPTS" ]; then
      echo "gave up waiting for ${what} after ${n} attempts; last output:" >&2
      "$@" >&2 || true
      exit 1
    fi
    n=$((n + 1))
    sleep 2
  done
}

has_attribute() {
  temporal operator search-attribute list --address "$ADDRESS" --namespace "$NAMESPACE" 2>/dev/null | grep -qw "$1"
}

echo "waiting for the Temporal frontend at ${ADDRESS}"
retry "the Temporal frontend" temporal operator cluster health --address "$ADDRESS"

if temporal operator namespace describe --address "$ADDRESS" --namespace "$NAMESPACE" >/dev/null 2>&1; then
  echo "namespace ${NAMESPACE} exists"
else
  echo "creating namespace ${NAMESPACE} (retention ${RETENTION})"
  # Another setup run may create it at the same moment: a failure is fine if it exists afterwards.
  temporal operator namespace create --address "$ADDRESS" --namespace "$NAMESPACE" --retention "$RETENTION" \
    || temporal operator namespace describe --address "$ADDRESS" --namespace "$NAMESPACE" >/dev/null
  retry "namespace ${NAMESPACE}" temporal operator namespace describe --address "$ADDRESS" --namespace "$NAMESPACE"
fi

# A new namespace reaches the frontend's namespace cache a few seconds after it is created, and
# until then search attribute calls answer "namespace not found": keep trying.
register() {
  name="$1"
  type="$2"
  n=1
  while :; do
    if has_attribute "$name"; then
      echo "search attribute ${name} is registered"
      return 0
    fi
    # Servers answer a duplicate differently across versions; "already exists" is success.
    if out=$(temporal operator search-attribute create --address "$ADDRESS" --namespace "$NAMESPACE" --name "$name" --type "$type" 2>&1); then
      echo "registered search attribute ${name} (${type})"
    else
      case "$out" in
        *"already exists"*) echo "search attribute ${name} already exists" ;;
        *)
          if [ "$n" -ge "$ATTEMPTS" ]; then
            echo "could not register search attribute ${name}: ${out}" >&2
            exit 1
          fi ;;
      esac
    fi
    n=$((n + 1))
    sleep 2
  done
}

for attribute in $SEARCH_ATTRIBUTES; do
  register "${attribute%%:*}" "${attribute#*:}"
done
echo "namespace ${NAMESPACE} is ready with search attributes: ${SEARCH_ATTRIBUTES}"
