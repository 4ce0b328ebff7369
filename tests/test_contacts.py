"""Messenger contacts and wallet addresses: what scam sentences end on instead of a link."""
from __future__ import annotations

import pytest

from spamguard.contacts import contact_invitations, wallet_addresses


@pytest.mark.parametrize("text", [
    "Contactez-le directement sur WhatsApp au +229 61 23 45 67 ou par email.",
    "Ai cần tư vấn cứ nhắn WhatsApp cho chị Mai: +44 7700 900 123, nhớ nói là được mình giới thiệu.",
    "message me on whatsapp wa.me/15550109876",
    "Пишите в телеграм @invest_pro_2024, вывод за 24 часа.",
    "加微信 +86 138 0013 8000 了解详情",
    "Follow the signals in our channel t.me/cryptowinners",
])
def test_a_messenger_with_a_number_or_handle_is_an_invitation(text: str) -> None:
    assert contact_invitations(text) >= 1


@pytest.mark.parametrize("text", [
    "WhatsApp said on Tuesday that it would add end-to-end encrypted backups for 2 billion users.",
    "Call the council on 020 7946 0958 for bin collection dates.",
    "Telegram's founder was detained in Paris in August 2024, prosecutors said.",
    "The line was busy; the signal was weak.",
    "Score: 3-1 after 90 minutes (2024).",
])
def test_a_messenger_or_a_number_alone_is_not(text: str) -> None:
    assert contact_invitations(text) == 0


@pytest.mark.parametrize(("text", "count"), [
    ("Carteira: bc1q9h7garjk4q8f3xv0tgm6z2lpw3sdc5ynqe8u4r - já pagamos 1.200 participantes", 1),
    ("Send 0.1 to 20 ETH to 0x7a3B9c2D41e8F6a0B5d3C9e1F2a4b6C8d0E1f3A5 and get 2X back", 1),
    ("USDT (TRC20): TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE or BTC 1BoatSLRHtKNngkdXEeobR76b53LETtpyT", 2),
    ("The exchange lost 0.5 BTC worth about $30,000 in the hack, the company said.", 0),
    ("Order 13579 shipped; tracking TBA123456789 arrives Monday.", 0),
])
def test_wallet_addresses_are_counted(text: str, count: int) -> None:
    assert wallet_addresses(text) == count
