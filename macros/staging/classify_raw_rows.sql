{#- Gives every raw row its fate, so that none is lost without a trace.

    Emits two CTEs, `checked` and `classified`, to follow a model's own `renamed` CTE (or the
    CTE named by `from_cte`), and a final select. Every row of `from_cte` comes out once, with:

    _reject_reason  null for a valid row, else a short code naming the first failed check:
                    unparsable_<column> / non_integral_<column> (a value that is not its
                    contract type, macros/staging/safe_parse.sql),
                    null_key, missing_synced_at, future_synced_at (replicated more than
                    `future_tolerance_hours` after this build's clock), ancient_synced_at
                    (before the var `instant_floor`), missing_updated_at,
                    missing_<column>,
                    invalid_<column> (value outside the contract's list or range),
                    negative_<column>, future_<column> (an instant more than
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
    deleted row's payload is not validated, so a half-empty delete still removes the entity.

    Arguments:
      kind          'entity' or 'event' (raw contract)
      key           the key column
      required      columns that must not be null on a live row
      enums         {column: [accepted values]}; null counts as missing
      optional_enums {column: [accepted values]}; null is allowed (a points payment's gateway)
      non_negative  columns that must be >= 0 (money, counts, durations)
      instants      business timestamps checked against _synced_at (entities add updated_at)
      rules         {reason: condition that marks a row bad}, checked last, in order
-#}
{% macro classify_raw_rows(
    kind,
    key,
    required=[],
    enums={},
    optional_enums={},
    non_negative=[],
    instants=[],
    rules={},
    from_cte='renamed'
) -%}
    {%- if kind not in ('entity', 'event') -%}
        {{ exceptions.raise_compiler_error("classify_raw_rows: kind must be 'entity' or 'event', got " ~ kind) }}
    {%- endif -%}
    {%- set live = 'not _is_deleted and ' if kind == 'entity' else '' -%}
    {%- set checked_instants = instants + (['updated_at'] if kind == 'entity' else []) -%}
    {%- set latest_allowed = dbt.dateadd('hour', var('future_tolerance_hours'), '_synced_at') -%}

checked as (

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
    from {{ from_cte }}

),

{%- if kind == 'entity' %}
{#- Two versions of a key with equal updated_at and _synced_at but different values: which is
    current must not depend on the engine's sort. Only such ties get a payload hash (md5 of
    the typed columns as text, the same text on both engines), the version with the greater
    hash wins, and the others are duplicates flagged `_is_conflict` and counted by the
    reconciliation (conflicting_rows). #}
tied as (

    select
        *,
        case
            when count(*) over (partition by _reject_reason, {{ key }}, updated_at, _synced_at) > 1
                then {{ payload_hash(key) }}
        end as _payload_hash
    from checked

),
{%- endif %}

ranked as (

    select
        *,
        row_number() over newest_first as _version_rank,
        {%- if kind == 'entity' %}
        coalesce(updated_at = lag(updated_at) over newest_first, false) as _is_redelivery,
        coalesce(
            updated_at = lag(updated_at) over newest_first
            and _synced_at = lag(_synced_at) over newest_first
            and _payload_hash != lag(_payload_hash) over newest_first,
            false
        ) as _is_conflict
        {%- else %}
        row_number() over newest_first > 1 as _is_redelivery,
        false as _is_conflict
        {%- endif %}
    from {{ 'tied' if kind == 'entity' else 'checked' }}
    {#- Rejected rows rank among themselves, so a bad row never hides or outranks a good one.
        The order is total up to identical rows, which makes the counts deterministic. #}
    window newest_first as (
        partition by _reject_reason, {{ key }}
        {%- if kind == 'entity' %}
        order by updated_at desc, _synced_at desc, _payload_hash desc
        {%- else %}
        order by _synced_at asc
        {%- endif %}
    )

),

classified as (

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
    from ranked

)

select * from classified
{%- endmacro %}


{#- md5 of the columns the model's `renamed` CTE names (read from the model's own SQL: every
    `... as <column>` up to `from source`), each cast to text; null is the empty text. -#}
{% macro payload_hash(key) -%}
    {%- set code = model.raw_code -%}
    {%- set body = code[code.find('renamed as ('):code.find('from source', code.find('renamed as ('))] -%}
    {%- set columns = modules.re.findall('\\bas\\s+([a-z][a-z0-9_]*)\\s*,?\\s*$', body, modules.re.M) -%}
    {%- if columns | length == 0 -%}
        {{ exceptions.raise_compiler_error('payload_hash: no columns found in the renamed CTE of ' ~ model.name) }}
    {%- endif -%}
    {%- set parts = [] -%}
    {%- for column in columns + ['_is_deleted'] -%}
        {%- do parts.append("coalesce(cast(" ~ column ~ " as " ~ dbt.type_string() ~ "), '')") -%}
        {%- if not loop.last %}{% do parts.append("'|'") %}{% endif -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(parts)) }}
{%- endmacro %}


{#- The earliest instant the warehouse accepts (var `instant_floor`), as a timestamp literal. -#}
{% macro instant_floor() -%}
    cast('{{ var("instant_floor") }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}


{#- 'a', 'b' for an IN list; quotes in values are doubled. -#}
{% macro sql_string_list(values) -%}
    {%- for value in values -%}
        '{{ value | replace("'", "''") }}'{{ ', ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}
