"""The Redis cache backend reuses one client object per connection pool (config/cache.py)."""

from config.cache import RedisCache, ReusedClient


def test_one_client_object_per_pool_for_reads_and_writes():
    # Making clients opens no connection, so no Redis server is needed.
    cache = RedisCache("redis://127.0.0.1:6379/15", {})
    client = cache._cache
    assert isinstance(client, ReusedClient)
    first = client.get_client("a")
    assert client.get_client("b") is first
    assert client.get_client("c", write=True) is first  # one server: one pool
    assert first.connection_pool is client._get_connection_pool(False)


def test_reads_spread_over_replica_servers_keep_a_client_each():
    cache = RedisCache("redis://127.0.0.1:6379/15,redis://127.0.0.1:6380/15", {})
    client = cache._cache
    writer = client.get_client(write=True)
    reader = client.get_client()  # the second server: the only one reads go to
    assert reader is not writer
    assert client.get_client() is reader
    assert reader.connection_pool.connection_kwargs["port"] == 6380
