"""Independent local stand-ins for the TOP, Pinduoduo and JD gateways.

Run one per platform: ``python -m shop_connectors.sandbox {taobao,pinduoduo,jd} --port N``
(``--port 0`` picks a free port; the first stdout line says ``… listening on http://host:port``).
Nothing here imports the client side of ``shop_connectors``: signatures, envelopes, money and
paging are re-implemented from the reference so a bug cannot pass on both sides.

Platform paths (the real ones): TOP ``/router/rest``, ``/authorize``, ``/token``; PDD
``/api/router``, ``/service-market/auth``, ``/oauth/token``; JD ``/routerjson``,
``/oauth2/to_login``, ``/oauth2/access_token``, ``/oauth2/refresh_token``. ``GET /`` is a page
listing items and orders (a shipped one with its courier and waybill), with forms to place,
pay, cancel, refund and confirm buyer orders.
The authorise page (GET) shows a shop picker; POSTing it with ``shop_id`` redirects to
``redirect_uri?code=…&state=…``.

Control endpoint (JSON in, JSON out; POST unless noted):

* ``GET /_sandbox/health`` / ``GET /_sandbox/state`` (items, orders, ``calls`` and ``limited``
  per method, ``faults_injected``)
* ``/_sandbox/reset``
* ``/_sandbox/apps`` ``{app_key, app_secret}``; ``/_sandbox/shops`` ``{shop_id, name}``
* ``/_sandbox/tokens`` ``{app_key, shop_id, expires_in?}`` → ``{access_token, refresh_token}``
* ``/_sandbox/config`` ``{token_ttl?, refresh_ttl?, next_id?}`` for tokens issued through
  OAuth; ids (items, orders, refunds) go on from ``next_id`` (a run after a reset)
* ``/_sandbox/limits`` ``{default: N|null, methods: {method: N}}`` calls per second per
  (app, shop, method); over it the platform's own limit error (TOP 7, PDD 52101, JD 2)
* ``/_sandbox/faults`` ``{rate, kinds: [5xx|timeout|malformed|latency], phase: before|after,
  methods?, hang_seconds, latency_ms, remaining?, seed?}``; ``after`` executes the call first
  and then loses the answer
* ``/_sandbox/orders/seed`` ``{shop_id, orders: [{modified, status?, price_fen?}]}`` (epoch s)
* ``/_sandbox/orders/override`` ``{order_id, fields: {...}}``: raw fields shown instead of the
  sandbox's own, e.g. a status the client does not know (``{"status": "PAID_FORBID_CONSIGN"}``)
* ``/_sandbox/orders/touch`` ``{order_id, modified}``: set an order's modification time
* ``/_sandbox/after_sales/open`` ``{order_id, amount_fen, with_return?, reason?, at?}`` (never
  more than is left of the payment) and ``/_sandbox/after_sales/settle`` ``{refund_id,
  outcome: success|closed, at?}``; refunds reaching the payment refund the order. Listed by
  ``taobao.refunds.receive.get`` (yuan), ``pdd.refund.list.increment.get`` (fen) and
  ``jingdong.pop.afs.soa.refundapply.queryPageList`` (fen, by apply or check time)
* ``/_sandbox/seller/delete-item`` / ``/_sandbox/seller/off-sale`` ``{shop_id, item_id}``: what a
  seller does by hand in the platform's seller centre (the item is gone / off sale)
* ``/_sandbox/buyer/place`` ``{shop_id, lines: [{sku_id|outer_sku_id, quantity}], buyer?}``;
  ``/_sandbox/buyer/{pay,cancel,refund,confirm}`` ``{order_id}``

Buyers' names, phones and addresses are always returned masked (``张*``, ``138****5678``).
"""
