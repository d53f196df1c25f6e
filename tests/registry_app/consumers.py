from channels.generic.websocket import AsyncJsonWebsocketConsumer


class SampleConsumer(AsyncJsonWebsocketConsumer):  # type: ignore[misc]
    async def connect(self) -> None:
        await self.accept()
        await self.send_json({"type": "sample.hello", "payload": {}})
