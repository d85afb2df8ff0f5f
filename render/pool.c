#include <stdlib.h>

#include "render/raster.h"
#include "render_internal.h"

struct heart_pool {
	struct {
		void *data;
		size_t size;
	} slot[HEART_POOL_SLOTS];
	size_t allocations;
};

struct heart_pool *heart_pool_create(void)
{
	return calloc(1, sizeof(struct heart_pool));
}

void heart_pool_destroy(struct heart_pool *pool)
{
	if (!pool)
		return;
	for (int i = 0; i < HEART_POOL_SLOTS; i++)
		free(pool->slot[i].data);
	free(pool);
}

void *heart_pool_get(struct heart_pool *pool, enum heart_pool_slot slot, size_t size)
{
	if (slot >= HEART_POOL_SLOTS || size > HEART_POOL_MAX)
		return NULL;
	if (size <= pool->slot[slot].size && pool->slot[slot].data)
		return pool->slot[slot].data;

	/* Grow by at least half again, so sizes that creep up settle after a few frames. */
	size_t grown = pool->slot[slot].size + pool->slot[slot].size / 2;
	if (grown < size || grown > HEART_POOL_MAX)
		grown = size;
	if (grown == 0)
		grown = 1;
	void *data = malloc(grown);
	if (!data)
		return NULL;
	free(pool->slot[slot].data);
	pool->slot[slot].data = data;
	pool->slot[slot].size = grown;
	pool->allocations++;
	return data;
}

size_t heart_pool_allocations(const struct heart_pool *pool)
{
	return pool->allocations;
}
