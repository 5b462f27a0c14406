"""What the Danish database backends share: the kind words they add to every page they index, and results read from
ranked index rows."""

from __future__ import annotations

from wagtail.models import Page

INTEGER_KEYS = {"AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField"}


def has_integer_key(model) -> bool:
    """Whether the model's primary key is an integer (a page type's key is its link to wagtailcore.Page)."""
    pk = model._meta.pk
    key = pk.target_field if pk.is_relation else pk
    return key.get_internal_type() in INTEGER_KEYS


def kind_words(obj) -> str:
    """The page's kind in words ("webinar webinarer"), so a search for "webinar" finds every webinar, also one whose
    text never says so. Only pages: a library is not made to match "bibliotek" by its kind."""
    if not isinstance(obj, Page):
        return ""
    meta = type(obj)._meta
    return f"{meta.verbose_name} {meta.verbose_name_plural}"


class RankedResultsMixin:
    """Search results read from the ranked index rows: the ids, best first, from one query on the index, then the
    objects from the caller's queryset by primary key. Where the compiler cannot (`can_rank_in_one_query`), the stock
    search runs."""

    def _fast(self) -> bool:
        compiler = self.query_compiler
        return getattr(compiler, "can_rank_in_one_query", lambda: False)()

    def _ranked(self) -> list[tuple[str | int, float, int]]:
        compiler = self.query_compiler
        return compiler.ranked_object_ids(compiler.get_config(self.backend), self.start, self.stop)

    def _do_search(self):
        if not self._fast():
            return super()._do_search()
        ranked = self._ranked()
        if not ranked:
            return []
        # The objects come from the caller's queryset, so they are what it asks for (specific pages, annotations,
        # deferred fields, related objects); its filters chose these rows already.
        objects = self.query_compiler.queryset.order_by().filter(pk__in=[row[0] for row in ranked])
        if self.prefetch_related:
            objects = objects.prefetch_related(*self.prefetch_related)
        by_pk = {str(obj.pk): obj for obj in objects}
        results = []
        for object_id, score, _content_type in ranked:
            obj = by_pk.get(str(object_id))
            if obj is not None:
                if self._score_field:
                    setattr(obj, self._score_field, score)
                results.append(obj)
        return results

    def ranked_pks_and_types(self) -> list[tuple[int, int]]:
        """(pk, content type id) of the results, best first, without building a model instance for each."""
        if not self._fast():
            return [(obj.pk, obj.content_type_id) for obj in self]
        return [(int(object_id), content_type) for object_id, _score, content_type in self._ranked()]

    def _do_count(self):
        if not self._fast():
            return super()._do_count()
        compiler = self.query_compiler
        count = compiler.count_matches(compiler.get_config(self.backend))
        count = max(count - self.start, 0)
        return count if self.stop is None else min(count, self.stop - self.start)
