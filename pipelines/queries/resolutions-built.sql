-- resolutions-built: whether the models that resolve account-data plays
-- are built yet ('t' or 'f').
select to_regclass('{{ ref('int_spotify__resolutions') }}') is not null
