{#- Every raw row gets exactly one fate, so that none is lost without a trace. A base model
    names three steps after its `renamed` CTE, each body one of the macros below:

        checked as ({{ raw_row_checks('entity', 'order_id', required=[...], enums={...}) }}),
        versioned as ({{ raw_row_versions('entity', 'order_id', payload=[...]) }}),
        classified as ({{ raw_row_fates('entity') }})

        select * from classified

    Every row of `renamed` comes out once, with:

    _reject_reason  null for a valid row, else a short code naming the first failed check:
                    unparsable_<column> / non_integral_<column> / too_long_<column> (a value
                    that is not its contract type or is longer than its bound,
                    macros/staging/safe_parse.sql), null_key, missing_synced_at,
                    future_synced_at (replicated more than `future_tolerance_hours` after this
                    build's clock), ancient_synced_at (before the var `instant_floor`),
                    missing_updated_at, missing_<column>, invalid_<column> (value outside the
                    contract's list), negative_<column>, future_<column> (an instant more than
                    `future_tolerance_hours` after the row was replicated), ancient_<column>
                    (an instant before `instant_floor`), or a rule's own name.
    _version_rank   1 = the newest valid row of its key (entities: greatest updated_at, then
                    greatest _synced_at; events: the earliest delivery).
    _is_redelivery  true when a row repeats a version already seen (same key and updated_at for
                    an entity, same id for an event).
    _row_status     exactly one of: current, superseded, duplicate, tombstone, quarantined.
    _classified_at  the dbt invocation that (re)classified the row: what the entity marts
                    compare their own last build with (macros/marts/touched_keys.sql).

    A tombstone (_is_deleted) only needs a key and its replication columns: the rest of a
    deleted row's payload is not validated, so a half-empty delete still removes the entity. -#}


{#- The reason a row of `renamed` is rejected, as `_reject_reason` (body of `checked`).

    Arguments:
      kind          'entity' or 'event' (raw contract)
      key           the key column
      required      columns that must not be null on a live row
      enums         {column: [accepted values]}; null counts as missing
      optional_enums {column: [accepted values]}; null is allowed (a points payment's gateway)
      non_negative  columns that must be >= 0 (money, counts, durations)
      instants      business timestamps checked against _synced_at (entities add updated_at)
      rules         {reason: condition that marks a row bad}, checked last, in order

    Example: checked as ({{ raw_row_checks('event', 'search_id', required=['session_id']) }}),
      renders  select *,
                   case
                       when _parse_failure is not null then _parse_failure
                       when search_id is null then 'null_key'
                       when _synced_at is null then 'missing_synced_at'
                       when _synced_at > <build clock + 24 hours> then 'future_synced_at'
                       when _synced_at < cast('2000-01-01' as timestamp) then 'ancient_synced_at'
                       when session_id is null then 'missing_session_id'
                   end as _reject_reason
               from renamed
      -- renamed.*, _reject_reason -#}
{% macro raw_row_checks(
    kind,
    key,
    required=[],
    enums={},
    optional_enums={},
    non_negative=[],
    instants=[],
    rules={}
) -%}
    {%- if kind not in ('entity', 'event') -%}
        {{ exceptions.raise_compiler_error("raw_row_checks: kind must be 'entity' or 'event', got " ~ kind) }}
    {%- endif -%}
    {%- set live = 'not _is_deleted and ' if kind == 'entity' else '' -%}
    {%- set checked_instants = instants + (['updated_at'] if kind == 'entity' else []) -%}
    {%- set latest_allowed = dbt.dateadd('hour', var('future_tolerance_hours'), '_synced_at') %}
    select
        *,
        case
            when _parse_failure is not null then _parse_failure
            when {{ key }} is null then 'null_key'
            when _synced_at is null then 'missing_synced_at'
            {#- A replication time ahead of this build's clock: a broken replicator clock. Kept
                out of the watermark (raw_rows_to_classify), so one year-9999 row cannot stop
                every later row from being read; re-judged on every run. #}
            when _synced_at > {{ dbt.dateadd('hour', var('future_tolerance_hours'), build_clock()) }}
                then 'future_synced_at'
            {#- Before the floor: a placeholder date (0001-01-01, 1900-01-01), not history. #}
            when _synced_at < {{ instant_floor() }} then 'ancient_synced_at'
            {%- if kind == 'entity' %}
            when updated_at is null then 'missing_updated_at'
            {%- endif %}
            {%- for column in required + (enums.keys() | list) %}
            when {{ live }}{{ column }} is null then 'missing_{{ column }}'
            {%- endfor %}
            {%- for column, values in enums.items() %}
            when {{ live }}{{ column }} not in ({{ sql_string_list(values) }}) then 'invalid_{{ column }}'
            {%- endfor %}
            {%- for column, values in optional_enums.items() %}
            when {{ live }}{{ column }} not in ({{ sql_string_list(values) }}) then 'invalid_{{ column }}'
            {%- endfor %}
            {%- for column in non_negative %}
            when {{ live }}{{ column }} < 0 then 'negative_{{ column }}'
            {%- endfor %}
            {%- for column in checked_instants %}
            when {{ live }}{{ column }} > {{ latest_allowed }} then 'future_{{ column }}'
            {%- endfor %}
            {%- for column in checked_instants %}
            when {{ live }}{{ column }} < {{ instant_floor() }} then 'ancient_{{ column }}'
            {%- endfor %}
            {%- for reason, condition in rules.items() %}
            when {{ live }}({{ condition }}) then '{{ reason }}'
            {%- endfor %}
        end as _reject_reason
    from renamed
{%- endmacro %}


{#- The version of each row of `checked` within its key (body of `versioned`): `_version_rank`,
    `_is_redelivery` and `_is_conflict`.

    Two versions of a key with equal updated_at and _synced_at but different values: which is
    current must not depend on the engine's sort. Only such ties get a payload hash (md5 of the
    `payload` columns as text, the same text on every engine; null is the empty text, then
    `_is_deleted`), the version with the greater hash wins, and the others are duplicates
    flagged `_is_conflict` and counted by the reconciliation (conflicting_rows). Rejected rows
    rank among themselves, so a bad row never hides or outranks a good one; the order is total
    up to identical rows, which makes the counts deterministic.

    Example: versioned as ({{ raw_row_versions('entity', 'order_id', payload=['order_id', 'status']) }}),
      renders  select *, row_number() over newest_first as _version_rank,
                   coalesce(updated_at = lag(updated_at) over newest_first, false) as _is_redelivery,
                   coalesce(... equal updated_at and _synced_at, another _payload_hash ...,
                       false) as _is_conflict
               from (select *, case when count(*) over (partition by _reject_reason, order_id,
                         updated_at, _synced_at) > 1 then <payload_hash(['order_id', 'status'])>
                     end as _payload_hash from checked) as tied
               window newest_first as (partition by _reject_reason, order_id
                   order by updated_at desc, _synced_at desc, _payload_hash desc)
      -- checked.*, _version_rank, _is_redelivery, _is_conflict (entities: and _payload_hash) -#}
{% macro raw_row_versions(kind, key, payload=[]) -%}
    {%- if kind == 'entity' %}
    select
        *,
        row_number() over newest_first as _version_rank,
        coalesce(updated_at = lag(updated_at) over newest_first, false) as _is_redelivery,
        coalesce(
            updated_at = lag(updated_at) over newest_first
            and _synced_at = lag(_synced_at) over newest_first
            and _payload_hash != lag(_payload_hash) over newest_first,
            false
        ) as _is_conflict
    from (
        select
            *,
            case
                when count(*) over (partition by _reject_reason, {{ key }}, updated_at, _synced_at) > 1
                    then {{ payload_hash(payload) }}
            end as _payload_hash
        from checked
    ) as tied
    window newest_first as (
        partition by _reject_reason, {{ key }}
        order by updated_at desc, _synced_at desc, _payload_hash desc
    )
    {%- else %}
    select
        *,
        row_number() over earliest_first as _version_rank,
        row_number() over earliest_first > 1 as _is_redelivery,
        false as _is_conflict
    from checked
    window earliest_first as (
        partition by _reject_reason, {{ key }}
        order by _synced_at asc
    )
    {%- endif %}
{%- endmacro %}


{#- Each row's fate and the run that classified it (body of `classified`, over `versioned`).

    Example: classified as ({{ raw_row_fates('entity') }}),
      renders  select *,
                   case
                       when _reject_reason is not null then 'quarantined'
                       when _is_redelivery then 'duplicate'
                       when _version_rank > 1 then 'superseded'
                       when _is_deleted then 'tombstone'
                       else 'current'
                   end as _row_status,
                   cast('<run_started_at>' as timestamp) as _classified_at
               from versioned
      -- versioned.*, _row_status, _classified_at (events have no tombstone) -#}
{% macro raw_row_fates(kind) -%}
    select
        *,
        case
            when _reject_reason is not null then 'quarantined'
            when _is_redelivery then 'duplicate'
            when _version_rank > 1 then 'superseded'
            {%- if kind == 'entity' %}
            when _is_deleted then 'tombstone'
            {%- endif %}
            else 'current'
        end as _row_status,
        {{ build_clock() }} as _classified_at
    from versioned
{%- endmacro %}


{#- md5 of `columns` (then _is_deleted), each cast to text, null as the empty text, joined by
    '|': an expression.

    Example: {{ payload_hash(['order_id', 'status']) }}
      renders  md5(cast(coalesce(cast(order_id as TEXT), '') || '|' || coalesce(cast(status as TEXT), '')
                   || '|' || coalesce(cast(_is_deleted as TEXT), '') as TEXT))   (DuckDB) -#}
{% macro payload_hash(columns) -%}
    {%- set parts = [] -%}
    {%- for column in columns + ['_is_deleted'] -%}
        {%- do parts.append("coalesce(cast(" ~ column ~ " as " ~ dbt.type_string() ~ "), '')") -%}
        {%- if not loop.last %}{% do parts.append("'|'") %}{% endif -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(parts)) }}
{%- endmacro %}


{#- The earliest instant the warehouse accepts (var `instant_floor`), as a timestamp literal.

    Example: {{ instant_floor() }}
      renders  cast('2000-01-01' as timestamp)   (DuckDB, with the project's default var) -#}
{% macro instant_floor() -%}
    cast('{{ var("instant_floor") }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}
