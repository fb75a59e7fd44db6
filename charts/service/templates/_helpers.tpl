{{/* The service's name: the chart name, i.e. the alias under the umbrella chart (identity, ticket, gateway). */}}
{{- define "service.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
<namePrefix>-<name>, namePrefix defaulting to the release name. No "release name already contains the
chart name" shortcut: peers compute each other's addresses as "<prefix>-<alias>".
*/}}
{{- define "service.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $prefix := .Values.global.namePrefix | default .Release.Name -}}
{{- printf "%s-%s" $prefix (include "service.name" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "service.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* A label-safe version: image tags may hold characters a label value cannot. */}}
{{- define "service.version" -}}
{{- $v := .Values.image.tag | default .Chart.AppVersion | toString -}}
{{- regexReplaceAll "[^A-Za-z0-9_.-]" $v "_" | trunc 63 | trimSuffix "-" | trimSuffix "_" | trimSuffix "." -}}
{{- end -}}

{{/* Selects the serving pods only: the migration Job's pods carry component=migration. */}}
{{- define "service.selectorLabels" -}}
app.kubernetes.io/name: {{ include "service.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: server
{{- end -}}

{{- define "service.commonLabels" -}}
helm.sh/chart: {{ include "service.chart" . }}
app.kubernetes.io/part-of: helpdesk
app.kubernetes.io/version: {{ include "service.version" . | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "service.labels" -}}
{{ include "service.selectorLabels" . }}
{{ include "service.commonLabels" . }}
{{- end -}}

{{- define "service.migrationLabels" -}}
app.kubernetes.io/name: {{ include "service.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: migration
{{ include "service.commonLabels" . }}
{{- end -}}

{{- define "service.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- .Values.serviceAccount.name | default (include "service.fullname" .) -}}
{{- else -}}
{{- .Values.serviceAccount.name | default "default" -}}
{{- end -}}
{{- end -}}

{{- define "service.image" -}}
{{- if not .Values.image.repository -}}
{{- fail (printf "%s: image.repository is required" (include "service.name" .)) -}}
{{- end -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion | toString) -}}
{{- end -}}
{{- end -}}

{{/* The named port the probes use: the health port is also the http port on the gateway. */}}
{{- define "service.healthPortName" -}}
{{- if and .Values.ports.http (eq (int .Values.ports.health) (int .Values.ports.http)) -}}
http
{{- else if and .Values.ports.grpc (eq (int .Values.ports.health) (int .Values.ports.grpc)) -}}
{{- fail "ports.health must differ from ports.grpc: gRPC does not serve /healthz" -}}
{{- else -}}
health
{{- end -}}
{{- end -}}

{{/* True when the health port is a port of its own (not the http port). */}}
{{- define "service.separateHealthPort" -}}
{{- if eq (include "service.healthPortName" .) "health" }}true{{ end -}}
{{- end -}}

{{- define "service.imagePullSecrets" -}}
{{- $secrets := concat (.Values.global.imagePullSecrets | default list) (.Values.imagePullSecrets | default list) | uniq -}}
{{- if $secrets }}
imagePullSecrets:
{{- range $secrets }}
  - name: {{ . }}
{{- end }}
{{- end }}
{{- end -}}

{{/*
Plain environment: global.env, then the service's env (wins), then the port variables unless already set.
Values go through tpl; an empty result leaves the variable out (e.g. an unset OTel endpoint), and so does a
name that secretEnv (or database, for DATABASE_URL) provides, so no variable is listed twice.
*/}}
{{- define "service.plainEnv" -}}
{{- $env := dict -}}
{{- range $k, $v := (.Values.global.env | default dict) }}{{ $_ := set $env $k $v }}{{ end -}}
{{- range $k, $v := .Values.env }}{{ $_ := set $env $k $v }}{{ end -}}
{{- if and .Values.ports.grpc (not (hasKey $env "GRPC_PORT")) }}{{ $_ := set $env "GRPC_PORT" (toString (int .Values.ports.grpc)) }}{{ end -}}
{{- if and .Values.ports.http (not (hasKey $env "PORT")) }}{{ $_ := set $env "PORT" (toString (int .Values.ports.http)) }}{{ end -}}
{{- if and (include "service.separateHealthPort" .) (not (hasKey $env "HEALTH_PORT")) }}{{ $_ := set $env "HEALTH_PORT" (toString (int .Values.ports.health)) }}{{ end -}}
{{- range $k := keys $env | sortAlpha }}
{{- $v := tpl (toString (get $env $k)) $ }}
{{- $fromSecret := or (hasKey $.Values.secretEnv $k) (and $.Values.database.enabled (eq $k "DATABASE_URL")) }}
{{- if and (ne $v "") (not $fromSecret) }}
- name: {{ $k }}
  value: {{ $v | quote }}
{{- end }}
{{- end }}
{{- end -}}

{{- define "service.databaseUrlEnv" -}}
{{- if .Values.database.enabled }}
{{- if not .Values.database.existingSecret }}
{{- fail (printf "%s: database.existingSecret is required when database.enabled" (include "service.name" .)) }}
{{- end }}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ .Values.database.existingSecret }}
      key: {{ .Values.database.secretKey }}
{{- end }}
{{- end -}}

{{- define "service.secretEnv" -}}
{{- range $name := keys .Values.secretEnv | sortAlpha }}
{{- $ref := get $.Values.secretEnv $name }}
- name: {{ $name }}
  valueFrom:
    secretKeyRef:
      name: {{ $ref.secretName }}
      key: {{ $ref.key }}
      {{- if $ref.optional }}
      optional: true
      {{- end }}
{{- end }}
{{- end -}}

{{/* Hard-wired hardening: the image runs as 10001 and writes only to the /tmp emptyDir. */}}
{{- define "service.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "service.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
privileged: false
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end -}}
