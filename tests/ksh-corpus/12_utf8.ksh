# UTF-8 and other bytes in values.
export U1=hété
export U2="€ $TOM_ADMIN 日本"
export U3=${TOM_ADMIN}é
export U4='�� invalid'
export U5=�
export U6="café crème"
