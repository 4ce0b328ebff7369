"""How scam spam asks to be reached without a link: a messenger and a number, a wallet address.

Fake testimonials ("contact Dr. Amadou on WhatsApp +229 ...") and crypto
"giveaways" ("send 0.1 BTC to bc1q...") read like sentences in any language;
what gives them away is the contact they end on. Articles name messengers
and print phone numbers, but seldom the two together, and almost never a
wallet address (one press-release contact line in 220,000 ground-truth
paragraphs of the training corpora).
"""
from __future__ import annotations

import re

# Messenger names as spam writes them, lower-cased; "line" and "signal" are
# left out (ordinary words), so are one-letter abbreviations.
_MESSENGERS = (
    "whatsapp", "whats app", "watsapp", "wasap", "whatsap",
    "telegram", "telegramm",
    "viber", "wechat", "weixin", "kakaotalk", "zalo", "skype", "imessage",
    "ватсап", "вацап", "вотсап", "телеграм", "телеграмм", "вайбер",  # Russian
    "واتساب", "واتس اب", "تلگرام", "تلغرام",  # Arabic, Persian
    "व्हाट्सएप", "व्हाट्सऐप", "टेलीग्राम",  # Hindi
    "微信", "电报", "ワッツアップ", "テレグラム", "텔레그램", "카톡", "카카오톡",
)
_MESSENGER = re.compile("|".join(re.escape(name) for name in _MESSENGERS))
# Deep links that open a chat: wa.me/15550109876, t.me/handle, api.whatsapp.com/send.
_CHAT_LINK = re.compile(r"\b(?:wa\.me|t\.me|telegram\.me|api\.whatsapp\.com|chat\.whatsapp\.com)/")
# A phone number: 8 to 15 digits, grouped by spaces, dots, dashes or brackets, maybe with a country code.
# Bounded by anything but digits: CJK text runs straight into the number ("Telegram: +1 979 183 0448找到了").
_PHONE = re.compile(r"(?<![\d.])\+?\(?\d[\d ().-]{6,17}\d(?![\d.])")
_MIN_PHONE_DIGITS = 8
# A handle to write to: @name.
_HANDLE = re.compile(r"(?<![\w.])@\w{3,}")
_WALLETS = (
    r"\bbc1[02-9ac-hj-np-z]{25,62}\b",  # Bitcoin, bech32
    r"\b[13][1-9A-HJ-NP-Za-km-z]{25,34}\b",  # Bitcoin, base58
    r"\b0x[0-9a-fA-F]{40}\b",  # Ethereum and its tokens
    r"\bT[1-9A-HJ-NP-Za-km-z]{33}\b",  # Tron
)
_WALLET = re.compile("|".join(_WALLETS))


def contact_invitations(text: str) -> int:
    """Chat links, or messenger names in a block that also gives a number or a handle to write to."""
    lowered = text.lower()
    links = len(_CHAT_LINK.findall(lowered))
    messengers = len(_MESSENGER.findall(lowered))
    if messengers and (_HANDLE.search(text) or any(_is_phone(number) for number in _PHONE.findall(text))):
        return links + messengers
    return links


def wallet_addresses(text: str) -> int:
    """Cryptocurrency addresses written out in ``text``."""
    return len(_WALLET.findall(text))


def _is_phone(candidate: str) -> bool:
    return sum(character.isdigit() for character in candidate) >= _MIN_PHONE_DIGITS
