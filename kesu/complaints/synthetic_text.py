# ruff: noqa: E501  (Chinese template text is wider than it looks)
"""Realistic Chinese complaint texts built from templates, for the demo cases
and the synthetic generator. Names and numbers are invented; nothing here is
real personal data."""

import random

from .validators import id_check_digit

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建华志强晓东海燕玉兰红梅淑珍文斌春生丹宇浩然子涵欣怡俊杰雨轩"
PRODUCTS = ["鑫享人生两全保险（分红型）", "金福年年年金保险", "康宁终身重大疾病保险",
            "安心住院医疗保险", "尊享人生终身寿险", "如意宝万能型终身寿险",
            "少儿教育金年金保险", "畅行无忧意外伤害保险", "守护百分百定期寿险"]
BANKS = ["工商银行", "建设银行", "农业银行", "中国银行", "邮储银行", "交通银行", "招商银行"]
HOSPITALS = ["市第一人民医院", "省人民医院", "中医院", "妇幼保健院", "中心医院"]

FACTS = [
    "投诉人称{year}年经业务员推荐在{bank}网点投保《{product}》，年交保费{premium}元。"
    "业务员当时承诺“保本保息、年收益不低于{rate}%”，并称随时可以全额退保。"
    "现投诉人急需用钱申请退保，被告知只能退还现金价值{cash}元，损失较大，认为业务员存在销售误导。",
    "投诉人之{relative}于{year}年投保《{product}》，今年因病在{hospital}住院治疗，"
    "花费医疗费用{amount}元。申请理赔后公司以“投保前已患疾病、未如实告知”为由拒赔，"
    "投诉人认为投保时业务员未询问健康状况，对拒赔结论不认可。",
    "投诉人反映其理赔申请材料已于{days}天前全部提交，至今未收到理赔款，多次拨打95519"
    "均被告知“正在审核中”，无人说明具体进度，认为公司理赔时效过慢、服务态度敷衍。",
    "投诉人称其投保的《{product}》保单续期保费已于{month}月从{bank}账户扣划{premium}元，"
    "但公司系统显示保单已失效，要求复效需重新体检。投诉人认为扣款成功后保单不应失效。",
    "投诉人反映业务员在其不知情的情况下代其签字投保《{product}》，投保单上的签名并非本人笔迹，"
    "且所留联系电话也不是本人号码，要求核实并退还已交保费{amount}元。",
    "投诉人称办理保单地址变更及银行账号变更保全业务时，柜面人员要求提供的材料前后不一，"
    "往返网点{times}次仍未办结，认为保全服务流程繁琐、告知不清。",
    "投诉人反映其《{product}》已于今年满期，但满期金{amount}元迟迟未到账，"
    "客服电话答复需等待总公司审批，投诉人对此不满。",
    "投诉人称近期频繁接到自称本公司工作人员的推销电话，要求加保或“保单升级”，"
    "已明确拒绝仍持续来电，认为公司泄露其个人信息并骚扰客户。",
    "投诉人反映其单位团体医疗保险的员工理赔案件{count}件积压未处理，"
    "单位经办人多次催办无果，影响员工就医报销。",
    "投诉人称投保时业务员宣传的分红水平为{rate}%，实际每年分红远低于宣传数额，"
    "认为业务员以夸大收益的方式诱导投保。",
]
DEMANDS = [
    "要求全额退还已交保费{amount}元并赔偿利息损失。",
    "要求公司按合同约定给付保险金{amount}元。",
    "要求尽快支付理赔款，并对延误作出书面解释。",
    "要求恢复保单效力，不再重新体检。",
    "要求核实代签字问题，解除合同并退还全部保费。",
    "要求简化办理流程，一次性告知所需材料，尽快办结。",
    "要求立即支付满期金及逾期利息。",
    "要求停止骚扰电话，并说明个人信息来源。",
    "要求限期处理积压理赔案件，并指定专人对接。",
    "要求按宣传收益补足差额，或全额退保。",
]
FINDINGS = [
    "经调阅投保资料及回访录音，业务员在销售过程中存在夸大收益的表述，销售误导情况属实。",
    "经核查病历资料，被保险人投保前确有相关就诊记录，投保单健康告知栏勾选“否”，拒赔依据充分。",
    "经核查，理赔材料齐全，因审核人员调岗导致案件积压，时效确有延误。",
    "经核实，续期扣款成功后系统未及时回写，导致保单状态异常，属系统问题，已修复。",
    "经笔迹比对，投保单签名与投诉人笔迹不一致，代签字情况属实。",
]
REPLIES = [
    "经核查，公司同意按投诉人诉求办理，并已安排专人跟进。",
    "经核查，公司处理符合合同约定，已向投诉人详细解释条款内容。",
    "公司已对相关人员进行批评教育并整改，同时向投诉人致歉。",
]


def person_name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
    return rng.choice(SURNAMES) + given


def phone(rng: random.Random) -> str:
    return f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"


def id_number(rng: random.Random) -> str:
    """A resident ID with a valid GB 11643 check digit."""
    first17 = (f"{rng.randrange(110000, 659999)}{rng.randrange(1950, 2004)}"
               f"{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}"
               f"{rng.randrange(1000):03d}")
    return first17 + id_check_digit(first17)


def policy_number(rng: random.Random) -> str:
    return f"P{rng.randrange(2010, 2026)}{rng.randrange(10**10):010d}"


def complaint_text(rng: random.Random) -> tuple[str, str]:
    """(facts, demand) of one invented complaint."""
    i = rng.randrange(len(FACTS))
    values = {
        "year": rng.randrange(2012, 2026), "bank": rng.choice(BANKS),
        "product": rng.choice(PRODUCTS), "premium": rng.randrange(3, 100) * 1000,
        "rate": rng.choice([4.5, 5, 6, 8, 10]), "cash": rng.randrange(5, 80) * 1000,
        "relative": rng.choice(["父亲", "母亲", "配偶", "儿子", "女儿"]),
        "hospital": rng.choice(HOSPITALS), "amount": rng.randrange(2, 300) * 1000,
        "days": rng.randrange(20, 90), "month": rng.randrange(1, 13),
        "times": rng.randrange(3, 7), "count": rng.randrange(5, 40),
    }
    return FACTS[i].format(**values), DEMANDS[i].format(**values)
