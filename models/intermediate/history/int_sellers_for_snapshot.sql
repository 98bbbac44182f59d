{{ config(tags=['snapshot_source']) }}

{{ snapshot_source('seller') }}
